"""One page function per module; PAGES lists every page with its path, title and on_load."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.pages.account import account_page
from nfp_app.pages.admin import admin_page
from nfp_app.pages.admin_audit import admin_audit_page
from nfp_app.pages.admin_user import admin_user_page
from nfp_app.pages.admin_users import admin_users_page
from nfp_app.pages.email_links import verify_email_page, wasnt_me_page
from nfp_app.pages.forgot_password import forgot_password_page
from nfp_app.pages.home import home_page
from nfp_app.pages.login import login_page
from nfp_app.pages.login_verify import login_verify_page
from nfp_app.pages.not_found import not_found_page
from nfp_app.pages.notes import notes_page
from nfp_app.pages.reset_password import reset_password_page
from nfp_app.pages.signup import signup_page
from nfp_app.state.account import AccountState
from nfp_app.state.account_mfa import AccountMfaState
from nfp_app.state.account_passkey_add import AddPasskeyState
from nfp_app.state.account_passkeys import AccountPasskeysState
from nfp_app.state.account_password import AccountPasswordState
from nfp_app.state.account_set_password import SetPasswordState
from nfp_app.state.admin_audit import AdminAuditState
from nfp_app.state.admin_overview import AdminOverviewState
from nfp_app.state.admin_user import AdminUserState
from nfp_app.state.admin_users import AdminUsersState
from nfp_app.state.auth import AuthState
from nfp_app.state.forgot_password import ForgotPasswordState
from nfp_app.state.login import LoginState
from nfp_app.state.login_verify import LoginVerifyState
from nfp_app.state.note_edit import NoteEditState
from nfp_app.state.notes import NotesState
from nfp_app.state.passkey_login import PasskeyLoginState
from nfp_app.state.passkey_second_factor import PasskeySecondFactorState
from nfp_app.state.passkey_signup import PasskeySignupState
from nfp_app.state.reset_password import ResetPasswordState
from nfp_app.state.signup import SignupState
from nfp_app.state.verify_email import VerifyEmailState
from nfp_app.state.wasnt_me import WasntMeState


@dataclass(frozen=True)
class Page:
    """A page of the app: what renders it, where, under which title, and what runs on load."""

    component: Callable[[], rx.Component]
    route: str
    title: str
    on_load: Any | Sequence[Any]

    @property
    def full_title(self) -> str:
        """The browser tab's title."""
        return "nfp_app" if self.route == routes.HOME else f"{self.title} · nfp_app"


PAGES = (
    Page(home_page, routes.HOME, "nfp_app", AuthState.route_home),
    Page(login_page, routes.LOGIN, "Sign in", [LoginState.open_page, PasskeyLoginState.prepare]),
    Page(
        login_verify_page,
        routes.LOGIN_VERIFY,
        "Two-step verification",
        [LoginVerifyState.open_page, PasskeySecondFactorState.prepare],
    ),
    Page(
        signup_page,
        routes.SIGNUP,
        "Create an account",
        [SignupState.open_page, PasskeySignupState.open_page],
    ),
    Page(admin_users_page, routes.ADMIN_USERS, "Users", AdminUsersState.open_page),
    Page(admin_audit_page, routes.ADMIN_AUDIT, "Audit log", AdminAuditState.open_page),
    Page(admin_user_page, routes.ADMIN_USER, "User", AdminUserState.open_page),
    Page(admin_page, routes.ADMIN, "Home", AdminOverviewState.open_page),
    Page(
        account_page,
        routes.ACCOUNT,
        "Your account",
        [
            AccountState.open_page,
            AccountPasswordState.open_page,
            AccountMfaState.open_page,
            AccountPasskeysState.open_page,
            AddPasskeyState.open_page,
            SetPasswordState.open_page,
        ],
    ),
    Page(notes_page, routes.NOTES, "Your notes", [NotesState.open_page, NoteEditState.open_page]),
    Page(
        forgot_password_page,
        routes.FORGOT_PASSWORD,
        "Forgot your password?",
        ForgotPasswordState.open_page,
    ),
    Page(
        reset_password_page,
        routes.RESET_PASSWORD,
        "Choose a new password",
        ResetPasswordState.open_page,
    ),
    Page(verify_email_page, routes.VERIFY_EMAIL, "Confirm your email", VerifyEmailState.open_page),
    Page(wasnt_me_page, routes.WASNT_ME, "That wasn't you?", WasntMeState.open_page),
    Page(not_found_page, routes.NOT_FOUND, "Page not found", []),
)
