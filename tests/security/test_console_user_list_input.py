"""The console's user list checks every client-sent value: unknown choices, forged selections,
over-long or binary searches and bad reasons get a message or are ignored, never an error."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from nfp_app.infra import db
from nfp_app.models import AuthEvent, User
from nfp_app.services import accounts
from nfp_app.services.admin_actions import REASON_MAX_LENGTH
from nfp_app.state.admin_users import AdminUsersState
from nfp_app.state.user_list import NOTHING_SELECTED, SEARCH_NOT_TEXT, SEARCH_TOO_LONG
from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import INTERNALS, ReflexSocket, handler, reflex_socket, sign_in

pytestmark = [pytest.mark.security, pytest.mark.postgres]

PATH = "/admin/users"


def _send(tab: ReflexSocket, name: str, **payload: Any) -> None:
    tab.send(handler(AdminUsersState, name), payload, path=PATH)


def _create(app: LiveApp, username: str, *, admin: bool = False) -> int:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = accounts.create_user(
            session=session, username=username, password=PASSWORD, is_admin=admin
        )
        assert user.id is not None
        return user.id


def test_user_list_ignores_or_refuses_what_it_cannot_use(live_app: LiveApp) -> None:
    """Junk choices reset, ids off the page are never acted on, bad text gets a message."""
    admin, prefix = unique_name("lboss"), unique_name("lst")
    _create(live_app, admin, admin=True)
    listed = _create(live_app, f"{prefix}a")
    victim = _create(live_app, unique_name("victim"))
    with reflex_socket(live_app) as tab:
        sign_in(tab, admin, PASSWORD)
        _send(tab, "open_page")
        _send(tab, "search", value=prefix)
        _send(tab, "choose", which="active", value="disabled")
        _send(tab, "choose", which="active", value="bogus")
        _send(tab, "choose", which="sort", value="last_sign_in")
        _send(tab, "choose", which="sort", value="id; drop table")
        _send(tab, "choose", which=["active"], value={"a": 1})
        for forged in (victim, True, str(victim), [victim], None):
            _send(tab, "toggle_row", user_id=forged, checked=True)
        _send(tab, "ask_bulk", action="disable")
        _send(tab, "confirm_bulk", form_data={"reason": "forged"})
        assert tab.sync()
        assert tab.delta_values("active_filter")[-1] == "any"
        assert tab.delta_values("sort_order")[-1] == "-created"
        assert tab.delta_values("bulk_message")[-1] == NOTHING_SELECTED
        rows = tab.delta_values("rows")[-1]
        assert [row["username"] for row in rows] == [f"{prefix}a"]

        # A real selection, a reason that is too long, then a good one.
        _send(tab, "toggle_row", user_id=listed, checked=True)
        _send(tab, "ask_bulk", action="revoke")
        _send(tab, "confirm_bulk", form_data={"reason": "r" * (REASON_MAX_LENGTH + 1)})
        assert tab.sync()
        assert "Keep the reason under" in tab.delta_values("bulk_error")[-1]
        _send(tab, "confirm_bulk", form_data={"reason": "routine clean-up"})
        assert tab.sync()
        assert tab.delta_values("bulk_message")[-1] == f"Ended the sessions of {prefix}a."

        for text, problem in (("x" * 300, SEARCH_TOO_LONG), ("a\x00b", SEARCH_NOT_TEXT)):
            _send(tab, "search", value=text)
            assert tab.sync()
            assert tab.delta_values("search_error")[-1] == problem
            assert tab.delta_values("rows")[-1] == []
        assert not any(marker in tab.text() for marker in INTERNALS)
    with db.session_scope(db.engine_for(live_app.database_url)) as session:
        target = session.get(User, victim)
        assert target is not None
        assert target.is_active
        events = session.exec(
            select(AuthEvent.event).where(col(AuthEvent.user_id).in_([victim, listed]))
        ).all()
        assert "user_disable" not in events
        assert events.count("sessions_revoke") == 1
