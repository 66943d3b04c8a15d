"""SEC-7: every event handler of every state authorises on the server, whatever a client sends.

Any client can call any public state method by name with any arguments, so the handlers are
collected from the app itself and each is called over a raw websocket with junk.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import reflex as rx
import sqlalchemy as sa
from reflex.state import BaseState
from reflex_base.config import get_config
from sqlmodel import Session, col, select

import nfp_app.nfp_app  # noqa: F401  (registers every state of the app)
from nfp_app.infra import db
from nfp_app.models import AuthSession, User
from nfp_app.services import accounts
from nfp_app.state.admin_overview import AdminOverviewState
from nfp_app.state.auth import AuthState
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import ReflexSocket, handler, reflex_socket, sign_in

pytestmark = [pytest.mark.security]

# Every var a client would love to set: the session, the account data and the table.
PROTECTED_VARS = (
    "_session_id",
    "_checked_by",
    "_user",
    "_counters",
    "_chart",
    "_console_for",
    "_admin_checked",
    "_after_handoff",
    "_mfa_challenge",
    "_mfa_next",
    "_notes",
    "_deleted",
    "_handle",
    "pending",
    "_sealed",
    "_reauth_at",
    "user",
    "is_authenticated",
    "chart",
    "users_total",
    "is_admin",
    "handoff_url",
    "router",
)
JUNK_PAYLOADS: list[dict[str, Any]] = [
    {},
    {"junk": "x"},
    {"form_data": "not a form"},
    {"form_data": {"username": ["x"], "password": {"a": 1}, "email": 7}},
    {"value": None},
    {"vars": {"x.y": 1}},
    {"info": 1, "component_stack": None},
]


def _states(state: type[BaseState] = rx.State) -> Iterator[type[BaseState]]:
    yield state
    for substate in sorted(state.get_substates(), key=lambda cls: cls.get_full_name()):
        yield from _states(substate)


def all_handlers() -> list[tuple[type[BaseState], str]]:
    """Every (state, handler name) the app registers, built-in ones included."""
    return [(state, name) for state in _states() for name in sorted(state.event_handlers)]


def _snapshot(engine: sa.Engine) -> tuple[list[Any], list[Any]]:
    """What no handler may change for a caller without rights: accounts, roles and sessions."""
    with Session(engine) as session:
        users = session.exec(select(User).order_by(col(User.id))).all()
        rows = session.exec(select(AuthSession).order_by(col(AuthSession.id))).all()
        accounts_now = [
            (u.id, u.username, u.email, u.hashed_password, u.is_admin, u.is_active) for u in users
        ]
        changes = [(u.id, u.password_changed_at) for u in users]
        sessions_now = [(r.id, r.user_id, r.revoked_at, r.expires_at, r.secret_hash) for r in rows]
        return [*accounts_now, *changes], sessions_now


def test_sec07_no_auto_setters() -> None:
    """state_auto_setters is off: `setvar` reaches only Reflex's own set_is_hydrated."""
    assert get_config().state_auto_setters is False
    for state in _states():
        setters = {name for name in dir(state) if name.startswith("set_")}
        assert setters <= {"set_is_hydrated"}, (state.get_full_name(), setters)
        assert "setvar" in state.event_handlers
    # Server-only vars never reach the browser, so nothing names them on the client side.
    assert not {name for name in AuthState.vars if name.startswith("_")}
    assert {"user", "is_authenticated"} <= set(AuthState.computed_vars)
    assert {"chart", "users_total"} <= set(AdminOverviewState.computed_vars)


def test_sec07_handlers_are_the_expected_ones() -> None:
    """A new handler shows up here, so that its authorisation gets reviewed."""
    ours = {
        (state.__name__, name)
        for state, name in all_handlers()
        if state.__module__.startswith("nfp_app.") and name != "setvar"
    }
    assert ours == {
        ("AuthState", "finish_handoff"),
        ("AuthState", "leave_signed_out_page"),
        ("AuthState", "route_home"),
        ("AccountState", "change_email"),
        ("AccountState", "delete_account"),
        ("AccountState", "open_page"),
        ("AccountState", "revoke"),
        ("AccountState", "revoke_others"),
        ("AccountState", "toggle_password"),
        ("AccountMfaState", "activate"),
        ("AccountMfaState", "begin"),
        ("AccountMfaState", "cancel_setup"),
        ("AccountMfaState", "codes_saved"),
        ("AccountMfaState", "confirm_password"),
        ("AccountMfaState", "leave"),
        ("AccountMfaState", "open_page"),
        ("AccountMfaState", "regenerate"),
        ("AccountMfaState", "toggle_password"),
        ("AccountMfaState", "turn_off"),
        ("AccountPasswordState", "open_page"),
        ("AccountPasskeysState", "ask_remove"),
        ("AccountPasskeysState", "cancel"),
        ("AccountPasskeysState", "open_page"),
        ("AccountPasskeysState", "remove"),
        ("AccountPasskeysState", "rename"),
        ("AccountPasskeysState", "start_rename"),
        ("AddPasskeyState", "cancel"),
        ("AddPasskeyState", "confirm_password"),
        ("AddPasskeyState", "finish"),
        ("AddPasskeyState", "finish_reauth"),
        ("AddPasskeyState", "keep_name"),
        ("AddPasskeyState", "note_support"),
        ("AddPasskeyState", "open_page"),
        ("AddPasskeyState", "start"),
        ("AddPasskeyState", "toggle_password"),
        ("SetPasswordState", "cancel"),
        ("SetPasswordState", "finish_reauth"),
        ("SetPasswordState", "open_page"),
        ("SetPasswordState", "rate_password"),
        ("SetPasswordState", "start"),
        ("SetPasswordState", "submit"),
        ("SetPasswordState", "toggle_password"),
        ("PasskeyLoginState", "finish_autofill"),
        ("PasskeyLoginState", "finish_button"),
        ("PasskeyLoginState", "note_support"),
        ("PasskeyLoginState", "prepare"),
        ("PasskeySecondFactorState", "finish"),
        ("PasskeySecondFactorState", "note_support"),
        ("PasskeySecondFactorState", "prepare"),
        ("PasskeySignupState", "begin"),
        ("PasskeySignupState", "cancel"),
        ("PasskeySignupState", "choose"),
        ("PasskeySignupState", "finish"),
        ("PasskeySignupState", "note_support"),
        ("PasskeySignupState", "open_page"),
        ("AccountPasswordState", "rate_password"),
        ("AccountPasswordState", "submit"),
        ("AccountPasswordState", "toggle_password"),
        ("AdminUsersState", "ask_bulk"),
        ("AdminUsersState", "choose"),
        ("AdminUsersState", "confirm_bulk"),
        ("AdminUsersState", "dialog_open_change"),
        ("AdminUsersState", "open_page"),
        ("AdminUsersState", "search"),
        ("AdminUsersState", "toggle_all"),
        ("AdminUsersState", "toggle_row"),
        ("AdminUsersState", "turn_page"),
        ("AdminAuditState", "apply_filters"),
        ("AdminAuditState", "export_csv"),
        ("AdminAuditState", "open_page"),
        ("AdminAuditState", "turn_page"),
        ("AdminUserState", "delete_account"),
        ("AdminUserState", "demote"),
        ("AdminUserState", "disable"),
        ("AdminUserState", "enable"),
        ("AdminUserState", "open_page"),
        ("AdminUserState", "promote"),
        ("AdminUserState", "reset_mfa"),
        ("AdminUserState", "revoke_all_sessions"),
        ("AdminUserState", "revoke_one_session"),
        ("AdminUserState", "send_password_reset"),
        ("AdminUserState", "toggle_dialog"),
        ("AdminOverviewState", "open_page"),
        ("AdminOverviewState", "refresh"),
        ("NotesState", "add"),
        ("NotesState", "choose_filter"),
        ("NotesState", "delete"),
        ("NotesState", "forget_undo"),
        ("NotesState", "open_page"),
        ("NotesState", "tick"),
        ("NotesState", "show_more"),
        ("NotesState", "undo_delete"),
        ("NoteEditState", "cancel_edit"),
        ("NoteEditState", "open_page"),
        ("NoteEditState", "save_edit"),
        ("NoteEditState", "start_edit"),
        ("ForgotPasswordState", "open_page"),
        ("ForgotPasswordState", "submit"),
        ("LoginState", "open_page"),
        ("LoginState", "resend_verification"),
        ("LoginState", "submit"),
        ("LoginState", "toggle_password"),
        ("LoginVerifyState", "open_page"),
        ("LoginVerifyState", "submit"),
        ("LoginVerifyState", "switch_mode"),
        ("ResetPasswordState", "open_page"),
        ("ResetPasswordState", "rate_password"),
        ("ResetPasswordState", "submit"),
        ("ResetPasswordState", "toggle_password"),
        ("SignupState", "open_page"),
        ("SignupState", "rate_password"),
        ("SignupState", "submit"),
        ("SignupState", "toggle_password"),
        ("VerifyEmailState", "confirm"),
        ("VerifyEmailState", "open_page"),
        ("WasntMeState", "confirm"),
        ("WasntMeState", "open_page"),
    }


def _hammer(socket: ReflexSocket, *, skip: frozenset[str] = frozenset()) -> None:
    """Call every handler with junk, and setvar on every protected var, on /admin."""
    for state, name in all_handlers():
        if name in skip:
            continue
        for payload in JUNK_PAYLOADS:
            socket.send(handler(state, name), payload)
        socket.send(handler(state, f"_{name}"))
    for state in _states():
        for var in PROTECTED_VARS:
            for value in (1, [{"username": "x"}]):
                socket.send(handler(state, "setvar"), {"var_name": var, "value": value})
    # Private methods are no handlers, whatever the name says.
    for name in ("_require_login", "_remember", "_require_admin", "_load", "_clear"):
        socket.send(handler(AdminOverviewState, name), {"page": 1, "session_id": 1})
    assert socket.sync(limit=90), "the server closed the connection"


def _assert_nothing_leaked(socket: ReflexSocket, *secrets: str) -> None:
    text = socket.text()
    for secret in secrets:
        assert secret not in text, f"{secret!r} reached {socket.token}"
    assert all(chart == [] for chart in socket.delta_values("chart"))
    assert all(total == 0 for total in socket.delta_values("users_total"))
    assert True not in socket.delta_values("is_admin")


@pytest.mark.postgres
def test_sec07_every_handler_with_junk_changes_nothing(live_app: LiveApp) -> None:
    """Anonymous and ordinary signed-in callers change no account, role or session, see no one."""
    engine = db.engine_for(live_app.database_url)
    admin, member = unique_name("boss7"), unique_name("plain7")
    admin_email = f"{admin}@secret.example"
    make_admin(live_app, admin)
    with db.session_scope(engine) as session:
        user = accounts.find_by_username(session=session, username=admin)
        assert user is not None
        user.email = admin_email
    create_user(live_app, member)
    # The administrator is signed in elsewhere, so there is a live admin session to aim at.
    with reflex_socket(live_app) as admin_tab:
        sign_in(admin_tab, admin, PASSWORD)
        admin_tab.send(handler(AdminOverviewState, "open_page"))
        admin_tab.wait_for('"role": "Administrator"')
        before = _snapshot(engine)

        with reflex_socket(live_app) as anonymous:
            _hammer(anonymous)
            _assert_nothing_leaked(anonymous, admin, admin_email, member)
            assert True not in anonymous.delta_values("is_authenticated")
            # The handlers did run: the protected ones sent this caller to the login page.
            assert any(path.startswith("/login") for path in anonymous.redirects())
            assert _snapshot(engine) == before

        with reflex_socket(live_app) as login_tab:
            cookie = sign_in(login_tab, member, PASSWORD)
        before = _snapshot(engine)
        with reflex_socket(live_app, cookie=cookie) as signed_in:
            signed_in.send(handler(AdminOverviewState, "open_page"))
            signed_in.wait_for(member)
            # Signing out one's own other sessions is the one change a signed-in user may make
            # with no input; logging out is no event (the form posts to /auth/logout, SEC-16).
            _hammer(signed_in, skip=frozenset({"revoke_others"}))
            _assert_nothing_leaked(signed_in, admin, admin_email)
            # Still this user, still signed in, never more than a user.
            assert signed_in.delta_values("is_authenticated")[-1] is True
            assert {user["role"] for user in signed_in.delta_values("user") if user} == {"User"}
        assert _snapshot(engine) == before
