"""SEC-16: no other site can sign a user out.

Logging out is a POST from the app's own pages, checked against Origin: a cross-site link (a
top-level GET) or a cross-site form post leaves the user signed in.
"""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from nfp_app.infra import db
from nfp_app.models import AuthSession
from nfp_app.services import accounts
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import reflex_socket, sign_in
from tests.support.security import EVIL_ORIGIN, serve_evil_page
from tests.support.ui import goto_ready, login, session_cookie

pytestmark = [pytest.mark.security, pytest.mark.postgres]

_FORM_POST = """
<form id="f" method="post" action=%s></form>
<script>document.getElementById("f").submit()</script>
"""


def _live_sessions(app: LiveApp, username: str) -> int:
    with Session(db.engine_for(app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        query = select(AuthSession).where(
            col(AuthSession.user_id) == user.id, col(AuthSession.revoked_at).is_(None)
        )
        return len(session.exec(query).all())


def _still_signed_in(page: Page, app: LiveApp, username: str) -> None:
    goto_ready(page, app.url("/admin"))
    expect(page.locator("#account-username")).to_have_text(username)
    assert _live_sessions(app, username) == 1


_LINK = "<script>location.href = %s</script>"


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("attack", "refused_with"),
    # GET is no way to log out: a browser gets the app's "not found" page (405 for API clients).
    [(_LINK, (404, 405)), (_FORM_POST, (403,))],
    ids=["link", "form-post"],
)
def test_sec16_foreign_page_cannot_log_out(
    page: Page, live_app: LiveApp, attack: str, refused_with: tuple[int, ...]
) -> None:
    """A foreign page that sends the user to /auth/logout, by link or form, signs no one out."""
    username = unique_name("lo16")
    create_user(live_app, username)
    login(page, live_app, username)
    logout_url = live_app.url("/auth/logout")
    evil = serve_evil_page(page.context, attack % json.dumps(logout_url))
    with page.expect_response(logout_url) as answer:
        page.goto(evil)
    assert answer.value.status in refused_with
    # Chromium names the foreign origin on the POST, or "null" after an https-to-http step down.
    assert answer.value.request.headers.get("origin") in (None, EVIL_ORIGIN, "null")
    assert session_cookie(page.context) is not None
    _still_signed_in(page, live_app, username)


@pytest.mark.e2e
def test_sec16_the_apps_own_button_still_logs_out(page: Page, live_app: LiveApp) -> None:
    """Control: the same POST from the app's own page ends the session and clears the cookie."""
    username = unique_name("lo16c")
    create_user(live_app, username)
    login(page, live_app, username)
    with page.expect_response(live_app.url("/auth/logout")) as answer:
        page.click("#logout")
    assert answer.value.status == 303
    expect(page).to_have_url(re.compile(r"/login/?$"))
    assert session_cookie(page.context) is None
    assert _live_sessions(live_app, username) == 0


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": EVIL_ORIGIN}, {"Origin": "null"}, {"Origin": "http://localhost.evil.example"}],
    ids=["no-origin", "foreign", "opaque", "lookalike"],
)
def test_sec16_logout_route_checks_origin(live_app: LiveApp, headers: dict[str, str]) -> None:
    """POST /auth/logout with the session cookie but without the app's Origin changes nothing."""
    username = unique_name("lo16d")
    create_user(live_app, username)
    with reflex_socket(live_app) as tab:
        cookie = sign_in(tab, username, PASSWORD)
    with httpx.Client(base_url=live_app.base_url, timeout=30) as http:
        assert http.get("/auth/logout", headers={"Cookie": cookie}).status_code in (404, 405)
        refused = http.post("/auth/logout", headers={"Cookie": cookie, **headers})
        assert refused.status_code == 403
        assert "set-cookie" not in refused.headers
        assert _live_sessions(live_app, username) == 1
        own = http.post("/auth/logout", headers={"Cookie": cookie, "Origin": live_app.base_url})
        assert own.status_code == 303
    assert _live_sessions(live_app, username) == 0
