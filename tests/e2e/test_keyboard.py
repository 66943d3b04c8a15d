"""Keyboard only: sign in, log out, change the password and a console action with Tab,
Shift+Tab, Enter and Space, each Tab checked against where focus should land, and a visible
focus ring on links, inputs and buttons."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from nfp_app import routes
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import goto_ready, hydrations, login, login_page_ready, wait_hydrated

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

NEW_PASSWORD = "violet tractor hums beneath 7 moons"
# Enough Tabs to cross the header (logo, colour-mode toggle, user menu) to a page's content.
HEADER_STOPS = 12

# What has focus, in words a failure can show: the id, else the name, else tag and text.
_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "body";
    if (el.id) return "#" + el.id;
    if (el.getAttribute("name")) return "[name=" + el.getAttribute("name") + "]";
    return el.tagName.toLowerCase() + ":" + (el.textContent || "").trim().slice(0, 40);
}"""

# Whether the focused element shows a focus indicator: an outline or a box-shadow on it, or on
# the Radix wrapper that draws the ring of its input (`.rt-TextFieldRoot:focus-within`).
_FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    const drawn = (node) => {
        const style = getComputedStyle(node);
        const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        return outline || style.boxShadow !== "none";
    };
    const ring = el.closest(".rt-TextFieldRoot, .rt-TextAreaRoot");
    return drawn(el) || (ring !== null && drawn(ring));
}"""


def focused(page: Page) -> str:
    """The focused element as `#id`, `[name=...]`, `tag:text` or `body`."""
    return page.evaluate(_FOCUSED)


def _is_password_toggle(target: str) -> bool:
    # The forms slice adds a "Show password" button after each password input; it is a
    # correct stop of its own, stepped over here so that the order of the fields is checked.
    return target.endswith("-toggle")


def tab(page: Page, expected: str, *, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) once and check that focus lands on `expected`."""
    page.keyboard.press("Shift+Tab" if back else "Tab")
    while _is_password_toggle(focused(page)) and not _is_password_toggle(expected):
        page.keyboard.press("Shift+Tab" if back else "Tab")
    assert focused(page) == expected, f"{'Shift+' if back else ''}Tab went to {focused(page)}"


def tab_to(page: Page, expected: str, limit: int = HEADER_STOPS) -> None:
    """Tab from where focus is until `expected` has it, across at most `limit` stops."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if seen[-1] == expected:
            return
    pytest.fail(f"{expected} not reached with {limit} Tabs; focus went {seen}")


def assert_focus_visible(page: Page) -> None:
    """The focused element shows a focus indicator."""
    assert page.evaluate(_FOCUS_VISIBLE), f"{focused(page)} has no visible focus indicator"


def test_sign_in_and_log_out_with_the_keyboard(page: Page, live_app: LiveApp) -> None:
    username = unique_name("kbd")
    create_user(live_app, username)
    goto_ready(page, live_app.url(routes.LOGIN))
    # The first stop is the skip link; it takes the next Tab past the header to the form.
    tab(page, "#skip-link")
    assert_focus_visible(page)
    shown = page.locator("#skip-link").bounding_box()
    assert shown is not None
    assert shown["width"] > 20, "the focused skip link stays hidden"
    page.keyboard.press("Enter")
    tab(page, "#username")
    assert_focus_visible(page)
    for target in ("#password", "#remember_me", "#submit"):
        tab(page, target)
    assert_focus_visible(page)  # a button
    tab(page, "#passkey-sign-in")
    tab(page, "#forgot-link")
    assert_focus_visible(page)  # a link
    for target in ("#passkey-sign-in", "#submit", "#remember_me", "#password", "#username"):
        tab(page, target, back=True)

    page.keyboard.type(username)
    tab(page, "#password")
    page.keyboard.type(PASSWORD)
    before = hydrations(page)
    page.keyboard.press("Enter")
    wait_hydrated(page, before, "the page after sign-in")
    expect(page.locator("#account-username")).to_have_text(username)

    tab_to(page, "#logout")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    login_page_ready(page)
    expect(page.locator("#account-username")).to_have_count(0)
    goto_ready(page, live_app.url(routes.ADMIN))
    login_page_ready(page)  # the session really ended: /admin sends back to sign in


def test_sign_up_with_the_keyboard(page: Page, live_app: LiveApp) -> None:
    username = unique_name("kbdnew")
    goto_ready(page, live_app.url(routes.SIGNUP))
    tab_to(page, "#username")
    page.keyboard.type(username)
    tab(page, "#email")
    page.keyboard.type(f"{username}@mail.example")
    tab(page, "#password")
    page.keyboard.type(PASSWORD)
    tab(page, "#password-toggle")
    page.keyboard.press("Space")  # shows the password: the same field, now as text
    expect(page.locator("#password")).to_have_attribute("type", "text")
    expect(page.locator("#password")).to_have_value(PASSWORD)
    tab(page, "#confirm")
    page.keyboard.type(PASSWORD)
    assert_focus_visible(page)
    before = hydrations(page)
    page.keyboard.press("Enter")
    wait_hydrated(page, before, "the page after signup")
    expect(page.locator("#account-username")).to_have_text(username)


def test_change_password_with_the_keyboard(page: Page, live_app: LiveApp) -> None:
    username = unique_name("kbd")
    create_user(live_app, username)
    login(page, live_app, username)
    goto_ready(page, live_app.url(routes.ACCOUNT))
    expect(page.locator("#password-section")).to_be_visible()
    tab_to(page, "#current", limit=HEADER_STOPS + 4)
    page.keyboard.type(PASSWORD)
    tab(page, "#password")
    page.keyboard.type(NEW_PASSWORD)
    tab(page, "#confirm")
    page.keyboard.type(NEW_PASSWORD)
    tab(page, "#submit")
    page.keyboard.press("Enter")
    expect(page.locator("#password-notice")).to_contain_text("Your password was changed")
    answer = httpx.post(
        live_app.url("/token"), data={"username": username, "password": NEW_PASSWORD}
    )
    assert answer.status_code == 200


def test_disable_a_user_from_the_console_with_the_keyboard(page: Page, live_app: LiveApp) -> None:
    admin = unique_name("kbdadm")
    target = unique_name("kbdusr")
    make_admin(live_app, admin)
    create_user(live_app, target)
    login(page, live_app, admin)
    goto_ready(page, live_app.url(routes.ADMIN_USERS))
    expect(page.locator("#users-table tbody tr").first).to_contain_text(target)  # newest first

    tab_to(page, "#user-search", limit=HEADER_STOPS + 6)
    assert_focus_visible(page)
    for target_id in ("#filter-active", "#filter-admin", "#filter-verified", "#user-sort"):
        tab(page, target_id)
    # The table's scroll box is a stop of its own (a phone scrolls it with the arrow keys).
    for target_id in ("#bulk-disable", "#bulk-revoke", "#users-table-scroll", "#select-all"):
        tab(page, target_id)
    tab(page, "button:")  # the first row's checkbox (no id of its own)
    tab(page, f"a:{target}")
    before = hydrations(page)
    page.keyboard.press("Enter")
    wait_hydrated(page, before, "the user's page")
    expect(page.locator("#user-detail-heading")).to_have_text(target)

    tab_to(page, "#user-action-disable", limit=HEADER_STOPS + 6)
    page.keyboard.press("Space")
    expect(page.locator("#reason-input")).to_be_visible()
    assert focused(page) == "#reason-input", "the dialog did not focus the reason field"
    page.keyboard.type("Keyboard test: spam account")
    tab(page, "#cancel-action")
    tab(page, "#confirm-action")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#action-message")).to_contain_text(re.compile("disabled", re.I))
    expect(page.locator("#reason-dialog")).to_have_count(0)
    expect(page.locator("#user-detail-status")).to_contain_text("Disabled")
