"""Signing up: who may right now (limits checked before any hashing), and the signup itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from nfp_app.infra.settings import Settings, get_settings
from nfp_app.models import User
from nfp_app.security.policy import PolicyError
from nfp_app.services import accounts, auth_sessions, email_verification, throttle

SIGNUP_IP = "signup_ip"
SIGNUP_ALL = "signup_all"
# The one key of the total limit: every signup counts against it.
_EVERYONE = "*"


@dataclass(frozen=True, slots=True)
class SignupLimits:
    """The SIGNUP_* settings."""

    ip: throttle.Limit
    total: throttle.Limit

    @classmethod
    def from_settings(cls, settings: Settings) -> SignupLimits:
        """Read the SIGNUP_* settings."""
        return cls(
            ip=throttle.Limit(
                settings.signup_ip_limit, dt.timedelta(seconds=settings.signup_ip_window_seconds)
            ),
            total=throttle.Limit(
                settings.signup_total_limit,
                dt.timedelta(seconds=settings.signup_total_window_seconds),
            ),
        )


def throttled_message(retry_after: int) -> str:
    """What signup says while new accounts from this client, or from anyone, must wait."""
    return f"Too many sign-ups right now, try again in {retry_after} s."


def admit(*, session: Session, ip: str, now: dt.datetime | None = None) -> int:
    """Count one signup attempt; 0 means go ahead, else the seconds to wait (nothing counted).

    Every attempt counts, valid or not: the limit protects the hashing, which comes after.
    """
    settings = get_settings()
    limits = SignupLimits.from_settings(settings)
    keys = [
        throttle.Key(SIGNUP_IP, ip, limits.ip),
        throttle.Key(SIGNUP_ALL, _EVERYONE, limits.total),
    ]
    result = throttle.reserve(session=session, keys=keys, keep=settings.throttle_retention, now=now)
    return result.retry_after if isinstance(result, throttle.Refused) else 0


EMAIL_REQUIRED = "Enter an email address: you will confirm it before you first sign in."


def create_account(
    *, session: Session, username: str, password: str, email: str | None, ip: str = ""
) -> User:
    """Create an ordinary account; with REQUIRE_EMAIL_VERIFICATION, mail its confirmation link."""
    verify = get_settings().require_email_verification
    if verify and not (email or "").strip():
        raise PolicyError("email", EMAIL_REQUIRED)
    user = accounts.create_user(
        session=session, username=username, password=password, email=email or None, ip=ip
    )
    if verify:
        email_verification.start_verification(session=session, user=user)
    return user


def sign_up(
    *,
    session: Session,
    username: str,
    password: str,
    email: str,
    user_agent: str = "",
    ip: str = "",
    binding: str,
) -> tuple[User, auth_sessions.BrowserSession | None]:
    """Create an ordinary account and sign it in on this browser, in one transaction; no
    session (None) while its email waits for confirmation."""
    user = create_account(session=session, username=username, password=password, email=email, ip=ip)
    if accounts.needs_verification(user):
        return user, None
    started = auth_sessions.start_browser_session(
        session=session, user=user, persistent=False, binding=binding, user_agent=user_agent, ip=ip
    )
    return user, started
