"""SEC-23: an ordinary user calling every console handler over a raw socket gets nothing.

The handlers are collected from the app (every state below AdminConsoleState), and each is
called with arguments a real admin page would send, aimed at another account and its session.
Nothing may change in the database, no frame may carry the other account, no download may
start, and the console never opens.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from reflex.state import BaseState
from sqlmodel import Session, col, select

import nfp_app.nfp_app  # noqa: F401  (registers every state of the app)
from nfp_app import routes
from nfp_app.infra import db
from nfp_app.models import AuthEvent, AuthSession, TotpCredential, User
from nfp_app.models.mail import MailMessage
from nfp_app.state.admin_console import AdminConsoleState
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.mfa import enable_mfa
from tests.support.overrides import Override
from tests.support.reflex_socket import ReflexSocket, handler, reflex_socket, sign_in

pytestmark = [pytest.mark.security, pytest.mark.postgres]


def console_states(state: type[BaseState] = AdminConsoleState) -> Iterator[type[BaseState]]:
    """AdminConsoleState and every state below it."""
    yield state
    for substate in sorted(state.get_substates(), key=lambda cls: cls.get_full_name()):
        yield from console_states(substate)


def console_handlers() -> list[tuple[type[BaseState], str]]:
    """Every (console state, handler) pair of our own, Reflex's setvar aside."""
    return [
        (state, name)
        for state in console_states()
        for name in sorted(state.event_handlers)
        if name != "setvar"
    ]


def _arguments(state: type[BaseState], name: str, victim_id: int, session_id: int) -> dict:
    """What an admin's page would send to this handler, aimed at the victim."""
    form = {
        "reason": "raw socket",
        "session_id": str(session_id),
        "user_id": str(victim_id),
        "username": "",
        "type": "",
        "outcome": "",
        "ip": "",
        "since": "",
        "until": "",
    }
    by_name: dict[str, Any] = {
        "form_data": form,
        "value": "",
        "which": "active",
        "forward": True,
        "user_id": victim_id,
        "checked": True,
        "action": "disable",
        "is_open": True,
        "dialog_id": "disable",
    }
    parameters = list(inspect.signature(state.event_handlers[name].fn).parameters)[1:]
    missing = [parameter for parameter in parameters if parameter not in by_name]
    assert not missing, f"{state.__name__}.{name}: teach this test {missing}"
    return {parameter: by_name[parameter] for parameter in parameters}


def _snapshot(engine: sa.Engine) -> tuple[list[Any], list[Any], int, int, list[Any]]:
    with Session(engine) as session:
        users = session.exec(select(User).order_by(col(User.id))).all()
        sessions = session.exec(select(AuthSession).order_by(col(AuthSession.id))).all()
        events = session.exec(select(sa.func.count()).select_from(AuthEvent)).one()
        mails = session.exec(select(sa.func.count()).select_from(MailMessage)).one()
        credentials = session.exec(select(TotpCredential).order_by(col(TotpCredential.id))).all()
        return (
            [(u.id, u.is_active, u.is_admin, u.hashed_password) for u in users],
            [(s.id, s.revoked_at) for s in sessions],
            int(events),
            int(mails),
            [(c.id, c.user_id, c.confirmed_at) for c in credentials],
        )


def _call_everything(socket: ReflexSocket, victim_id: int, session_id: int) -> None:
    page = routes.admin_user(victim_id)
    for state, name in console_handlers():
        payload = _arguments(state, name, victim_id, session_id)
        router_data = {"pathname": page, "query": {"user_id": str(victim_id)}, "asPath": page}
        socket.send_raw(
            {"name": handler(state, name), "payload": payload, "router_data": router_data}
        )
    assert socket.sync(limit=90), "the server closed the connection"


def test_sec23_every_console_handler_is_known() -> None:
    """The console's handlers are the ones this test knows how to call."""
    handlers = console_handlers()
    assert len({state for state, _ in handlers}) >= 4, handlers  # overview, users, user, audit
    for state, name in handlers:
        _arguments(state, name, 1, 1)


def test_sec23_ordinary_user_gets_nothing_from_console_handlers(
    live_app: LiveApp, override: Override
) -> None:
    """A signed-in user aims every console handler at an admin: no change, no data, no file."""
    engine = db.engine_for(live_app.database_url)
    admin, member = unique_name("boss23"), unique_name("plain23")
    admin_email = f"{admin}@secret.example"
    make_admin(live_app, admin)
    with db.session_scope(engine) as session:
        row = session.exec(select(User).where(User.username == admin)).one()
        row.email = admin_email
        victim_id = row.id
    assert victim_id is not None
    create_user(live_app, member)
    with reflex_socket(live_app) as admin_tab:
        sign_in(admin_tab, admin, PASSWORD)
    # With 2FA on, the console's "Reset two-factor" would have something to remove.
    override(SECRET_KEY=live_app.secret_key)
    enable_mfa(engine, victim_id, PASSWORD)
    with Session(engine) as session:
        admin_session = session.exec(
            select(AuthSession.id).where(AuthSession.user_id == victim_id)
        ).first()
    assert admin_session is not None
    with reflex_socket(live_app) as login_tab:
        cookie = sign_in(login_tab, member, PASSWORD)
    before = _snapshot(engine)
    with reflex_socket(live_app, cookie=cookie) as socket:
        _call_everything(socket, victim_id, admin_session)
        # The positive signal: the handlers ran for this signed-in user (their page check
        # confirmed the session), and answered with nothing of the console.
        assert True in socket.delta_values("is_authenticated")
        text = socket.text()
        for secret in (admin, admin_email):
            assert secret not in text, f"{secret!r} reached an ordinary user"
        assert True not in socket.delta_values("is_admin")
        # The download event by name: "codes_download" (a recovery-code field on /account)
        # is no file.
        assert '"_download"' not in text
        assert not [path for path in socket.redirects() if path.startswith("/login")]
    assert _snapshot(engine) == before
