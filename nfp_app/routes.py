"""Every path of the app, named once: the pages and the backend's cookie routes."""

from __future__ import annotations

from urllib.parse import quote, urlencode

HOME = "/"
LOGIN = "/login"
# The second step of a sign-in with two-factor authentication.
LOGIN_VERIFY = "/login/verify"
SIGNUP = "/signup"
ADMIN = "/admin"
ACCOUNT = "/account"
# The signed-in user's own notes (the worked example of a protected feature).
NOTES = "/notes"
# Where MFA_REQUIRED_FOR_ADMINS sends an administrator without 2FA (the policy's callout).
MFA_REQUIRED = f"{ACCOUNT}?notice=mfa-required"
# The administrators' console: the overview is ADMIN itself.
ADMIN_USERS = "/admin/users"
ADMIN_USER = "/admin/users/[user_id]"
ADMIN_AUDIT = "/admin/audit"
FORGOT_PASSWORD = "/forgot-password"
RESET_PASSWORD = "/reset-password"
VERIFY_EMAIL = "/verify-email"
WASNT_ME = "/wasnt-me"
# Reflex's name for the page it shows at any unknown path.
NOT_FOUND = "404"
# Password managers look here for the page that changes a password.
WELL_KNOWN_CHANGE_PASSWORD = "/.well-known/change-password"
# Where a signed-in user lands when nothing else was asked for.
AFTER_SIGN_IN = ADMIN

# Backend routes that set or clear the HttpOnly cookies (nfp_app/api/session_cookie.py).
AUTH_PREFIX = "/auth"
AUTH_BIND = f"{AUTH_PREFIX}/bind"
AUTH_SESSION = f"{AUTH_PREFIX}/session"
AUTH_LOGOUT = f"{AUTH_PREFIX}/logout"


def admin_user(user_id: int | str) -> str:
    """The console's page of one account."""
    return f"{ADMIN_USERS}/{user_id}"


def login_then(path: str) -> str:
    """The login page, going on to `path` afterwards."""
    return f"{LOGIN}?next={quote(path)}"


def handoff(code: str) -> str:
    """The cookie route that trades a sign-in's one-time code for the session cookie."""
    return f"{AUTH_SESSION}?{urlencode({'code': code})}"


def login_with_notice(notice: str) -> str:
    """The login page with one of LoginState's notices shown above the form."""
    return f"{LOGIN}?{urlencode({'notice': notice})}"


def bind_then(path: str) -> str:
    """The detour that gives a browser its binding cookie, then goes on to `path`."""
    return f"{AUTH_BIND}?{urlencode({'next': path})}"
