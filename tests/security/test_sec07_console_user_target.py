"""SEC-7 for the console's page of one account: its actions act on the account the server
loaded for the page, whatever ids a client slips into the payload, and only for that admin."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.models import AuthSession, User, utcnow
from nfp_app.services import auth_sessions
from nfp_app.state.admin_user import AdminUserState
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import ReflexSocket, handler, reflex_socket, sign_in

pytestmark = [pytest.mark.security, pytest.mark.postgres]


def _send(socket: ReflexSocket, name: str, user_id: int, payload: dict[str, Any]) -> None:
    """An event from the account's page, as the frontend sends it (the route arg in `query`)."""
    path = routes.admin_user(user_id)
    router_data = {"pathname": path, "query": {"user_id": str(user_id)}, "asPath": path}
    socket.send_raw(
        {"name": handler(AdminUserState, name), "payload": payload, "router_data": router_data}
    )


def _state(app: LiveApp, username: str) -> tuple[bool, bool, list[int]]:
    with Session(db.engine_for(app.database_url)) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        rows = session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all()
        live = [row.id for row in rows if row.id and auth_sessions.is_live(row, now=utcnow())]
        return user.is_active, user.is_admin, live


def _id(app: LiveApp, username: str) -> int:
    with Session(db.engine_for(app.database_url)) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        assert user.id is not None
        return user.id


def test_sec07_console_actions_act_on_the_loaded_account_only(live_app: LiveApp) -> None:
    admin, target, bystander = unique_name("boss"), unique_name("tgt"), unique_name("by")
    make_admin(live_app, admin)
    create_user(live_app, target)
    create_user(live_app, bystander)
    with reflex_socket(live_app) as login_tab:
        sign_in(login_tab, bystander, PASSWORD)
    bystander_session = _state(live_app, bystander)[2]
    assert len(bystander_session) == 1
    target_id, bystander_id = _id(live_app, target), _id(live_app, bystander)
    with reflex_socket(live_app) as login_tab:
        cookie = sign_in(login_tab, admin, PASSWORD)

    with reflex_socket(live_app, cookie=cookie) as tab:
        _send(tab, "open_page", target_id, {})
        tab.wait_for(target)
        before = len(tab.messages)
        # Ids of the bystander everywhere a client could put one: only the session id is read,
        # and the service finds it is not the target's.
        smuggled = {"reason": "x", "user_id": str(bystander_id), "id": bystander_id}
        _send(tab, "promote", bystander_id, {"form_data": smuggled})
        session_id = str(bystander_session[0])
        _send(
            tab,
            "revoke_one_session",
            target_id,
            {"form_data": {**smuggled, "session_id": session_id}},
        )
        assert tab.sync()
        assert "That session has already ended." in tab.text(before)
        assert bystander not in tab.text(before)
        # A thief with the admin tab's client token but no cookie gets nothing done.
        with reflex_socket(live_app, token=tab.token) as thief:
            _send(thief, "disable", target_id, {"form_data": {"reason": "x"}})
            _send(thief, "delete_account", target_id, {"form_data": {"reason": "x"}})
            assert thief.sync()
            assert target not in thief.text()

    assert _state(live_app, target)[:2] == (True, True)  # promoted: the page's own account
    assert _state(live_app, bystander) == (True, False, bystander_session)
