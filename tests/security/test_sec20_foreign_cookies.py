"""SEC-20: cookies of other apps on the host, however malformed, never hide the session cookie.

The websocket reads its Cookie header with Starlette's lenient parser, as the REST side does;
http.cookies.SimpleCookie drops the whole header at the first value it dislikes.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
import reflex as rx
from playwright.sync_api import Page, expect

from nfp_app.security.cookies import CookieNames, read_cookie
from nfp_app.state.admin_overview import AdminOverviewState
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import handler, reflex_socket, sign_in
from tests.support.ui import goto_ready, login

pytestmark = [pytest.mark.security]

# Cookies other software on the same host really sets: JSON, spaces, a backslash.
FOREIGN = ('prefs={"theme":"dark","lang":"en"}', 'consent="yes please"', "path=C:\\temp", "a b=c")


@pytest.mark.parametrize("foreign", FOREIGN)
@pytest.mark.parametrize("where", ["before", "after"])
def test_sec20_session_cookie_is_found_next_to_any_other(foreign: str, where: str) -> None:
    header = (
        f"{foreign}; nfp_session=s3cret" if where == "before" else f"nfp_session=s3cret; {foreign}"
    )
    assert read_cookie(header, "nfp_session") == "s3cret"


def test_sec20_the_old_parser_lost_the_session() -> None:
    """Why the parser changed: SimpleCookie finds nothing after a JSON cookie."""
    assert "nfp_session" not in SimpleCookie(f"{FOREIGN[0]}; nfp_session=s3cret")
    assert read_cookie(f"{FOREIGN[0]}; nfp_session=s3cret", "nfp_session") == "s3cret"


def test_sec20_cookie_names_and_limits() -> None:
    assert CookieNames.for_base("nfp_session", secure=False) == CookieNames(
        session="nfp_session", binding="nfp_session_bind", device="nfp_session_device"
    )
    assert CookieNames.for_base("nfp_session", secure=True).session == "__Host-nfp_session"
    assert read_cookie("nfp_session=" + "x" * 600, "nfp_session") == ""
    assert read_cookie("", "nfp_session") == ""


@pytest.mark.postgres
def test_sec20_socket_resumes_with_foreign_cookies(live_app: LiveApp) -> None:
    username = unique_name("ck20")
    create_user(live_app, username)
    with reflex_socket(live_app) as tab:
        cookie = sign_in(tab, username, PASSWORD)
    for foreign in FOREIGN:
        with reflex_socket(live_app, cookie=f"{foreign}; {cookie}") as reloaded:
            reloaded.send(handler(rx.State, "hydrate"))
            reloaded.send(handler(AdminOverviewState, "open_page"))
            reloaded.wait_for(f'"username": "{username}"')


@pytest.mark.e2e
@pytest.mark.postgres
def test_sec20_browser_stays_signed_in_with_a_json_cookie(page: Page, live_app: LiveApp) -> None:
    username = unique_name("ck20b")
    create_user(live_app, username)
    login(page, live_app, username)
    page.context.add_cookies(
        [{"name": "prefs", "value": '{"theme":"dark"}', "url": live_app.base_url}]
    )
    goto_ready(page, live_app.url("/admin"))
    expect(page.locator("#account-username")).to_have_text(username)
