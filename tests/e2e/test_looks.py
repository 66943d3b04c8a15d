"""The shared look in Chromium: colour mode, phone widths, the header and the 404 page."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, WebSocketRoute, expect
from sqlmodel import select

from nfp_app import routes
from nfp_app.components.error_page import ERROR_HEADING
from nfp_app.infra import db
from nfp_app.models import User
from nfp_app.pages.not_found import NOT_FOUND_HEADING
from tests.support.accounts import create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import PHONE, ContextFactory, goto_ready, login, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

# Radix themes mark the page's colour mode with a class on <html>.
_MODE = "document.documentElement.classList.contains('dark') ? 'dark' : 'light'"
_SIDEWAYS = "document.scrollingElement.scrollWidth - window.innerWidth"
_UNKNOWN = "/no-such-page-here"
# For the failure message: the innermost elements that stick out past the window's right edge.
_STICKING_OUT = """() => {
  const out = (e) => e.getBoundingClientRect().right > window.innerWidth + 0.5;
  return [...document.querySelectorAll("body *")]
    .filter((e) => out(e) && ![...e.children].some(out))
    .slice(0, 8).map((e) => `${e.tagName}#${e.id}.${e.className}`);
}"""


def _mode(page: Page) -> str:
    return str(page.evaluate(_MODE))


def _user_id(app: LiveApp, username: str) -> int:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        assert user.id is not None
        return user.id


def test_colour_mode_follows_the_system(live_app: LiveApp, new_context: ContextFactory) -> None:
    for scheme in ("dark", "light"):
        page = new_page(new_context(color_scheme=scheme))
        goto_ready(page, live_app.url(routes.LOGIN))
        expect(page.locator("#color-mode-toggle")).to_be_visible()
        assert _mode(page) == scheme


def test_the_toggle_flips_the_mode_and_a_reload_keeps_it(
    live_app: LiveApp, new_context: ContextFactory
) -> None:
    page = new_page(new_context(color_scheme="light"))
    goto_ready(page, live_app.url(routes.LOGIN))
    toggle = page.locator("#color-mode-toggle")
    expect(toggle).to_have_attribute("aria-label", "Switch between light and dark mode")
    assert _mode(page) == "light"
    # From the keyboard: the toggle is a real button in the tab order.
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"({_MODE}) === 'dark'")
    goto_ready(page, live_app.url(routes.SIGNUP))
    expect(page.locator("#color-mode-toggle")).to_be_visible()
    assert _mode(page) == "dark"
    page.reload()
    expect(page.locator("#color-mode-toggle")).to_be_visible()
    page.wait_for_function(f"({_MODE}) === 'dark'")
    toggle.click()
    page.wait_for_function(f"({_MODE}) === 'light'")


def _no_sideways_scroll(page: Page, url: str, ready: str) -> None:
    goto_ready(page, url)
    expect(page.locator(ready).first).to_be_visible()
    expect(page.locator("header #logo")).to_be_visible()
    overflow = page.evaluate(_SIDEWAYS)
    assert overflow <= 0, f"{url} scrolls sideways at 360 px: {page.evaluate(_STICKING_OUT)}"


def test_no_page_scrolls_sideways_on_a_phone(
    live_app: LiveApp, new_context: ContextFactory
) -> None:
    page = new_page(new_context(viewport=PHONE))
    for path, ready in (
        (routes.LOGIN, "#submit"),
        (routes.SIGNUP, "h1"),
        (routes.FORGOT_PASSWORD, "h1"),
        (routes.RESET_PASSWORD, "h1"),
        (_UNKNOWN, "#not-found-home"),
    ):
        _no_sideways_scroll(page, live_app.url(path), ready)

    admin = unique_name("admin_with_long_name")
    make_admin(live_app, admin)
    member = unique_name("member")
    create_user(live_app, member, email=f"{member}@mail.example")
    login(page, live_app, admin)
    for path, ready in (
        (routes.ADMIN, "#account-username"),
        (routes.ACCOUNT, "#sessions-table"),
        (routes.ADMIN_USERS, "#users-table tbody tr"),
        (f"/admin/users/{_user_id(live_app, member)}", "#user-events"),
        (routes.ADMIN_AUDIT, "#audit-table tbody tr"),
        (routes.NOTES, "#note-add-form"),
    ):
        _no_sideways_scroll(page, live_app.url(path), ready)
        expect(page.locator("#user-menu #logout")).to_be_visible()


def test_wide_tables_scroll_in_a_named_focusable_box(
    live_app: LiveApp, new_context: ContextFactory
) -> None:
    page = new_page(new_context(viewport=PHONE))
    admin = unique_name("admin")
    make_admin(live_app, admin)
    login(page, live_app, admin)
    goto_ready(page, live_app.url(routes.ADMIN_AUDIT))
    expect(page.locator("#audit-table tbody tr").first).to_be_visible()
    region = page.locator("#audit-table-scroll")
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_attribute("aria-label", "Audit table")
    # The table is wider than the phone, and it is the box that scrolls.
    assert region.evaluate("(box) => box.scrollWidth > box.clientWidth")


def test_an_unknown_address_shows_our_404_page(page: Page, live_app: LiveApp) -> None:
    answer = httpx.get(live_app.url(_UNKNOWN), timeout=30)
    assert answer.status_code == 404
    goto_ready(page, live_app.url(_UNKNOWN))
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND_HEADING)
    expect(page.locator("header #logo")).to_be_visible()
    expect(page.locator("header #color-mode-toggle")).to_be_visible()
    expect(page.locator("main #not-found-message")).to_be_visible()
    expect(page).to_have_title("Page not found · nfp_app")
    page.locator("#not-found-home").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))


_BROKEN_ROW = {"id": 1, "device": {"forged": True}, "current": False}


def _sessions_broken(message: str | bytes) -> str | bytes:
    """A Socket.IO frame from the server whose `sessions` list, if any, holds one row whose
    device is an object: React cannot render an object as text, and throws."""
    if isinstance(message, bytes) or not message.startswith("42"):
        return message
    start = message.index("[")
    packet = json.loads(message[start:])

    def forge(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: [_BROKEN_ROW] if key.startswith("sessions_rx_state_") else forge(item)
                for key, item in value.items()
            }
        return [forge(item) for item in value] if isinstance(value, list) else value

    return message[:start] + json.dumps(forge(packet))


def test_a_page_that_cannot_render_shows_our_error_page(page: Page, live_app: LiveApp) -> None:
    """The real app, made to fail while rendering: the test forges the server's list of sessions
    on the websocket into a row that cannot be drawn. Our page replaces the app, with a way
    back, and no stack trace reaches the user."""
    username = unique_name("broken")
    create_user(live_app, username)
    login(page, live_app, username)

    def tamper(socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()
        server.on_message(lambda message: socket.send(_sessions_broken(message)))

    page.route_web_socket(re.compile(r"/_event"), tamper)
    page.goto(live_app.url(routes.ACCOUNT))
    expect(page.get_by_role("heading", level=1)).to_have_text(ERROR_HEADING)
    expect(page.locator("#error-reload")).to_be_visible()
    expect(page.locator("#error-home")).to_have_attribute("href", "/")
    text = page.locator("body").inner_text()
    for leak in ("TypeError", "is not a function", "at ", "reflex.dev"):
        assert leak not in text, f"the error page shows {leak!r}"
