"""The forms in a real browser: paste, show password, announced errors, real submits, busy."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import fill_login, fill_signup, goto_ready, login

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

OTHER_PASSWORD = "ember-Violet-83-compass"

# Records every submit event the browser fires, with the password fields of its form.
_RECORD_SUBMITS = """
() => {
  window.__submits = [];
  document.addEventListener("submit", (event) => {
    const form = event.target;
    const passwords = [...form.querySelectorAll("input[type=password], input[type=text]")]
      .filter((input) => (input.autocomplete || "").endsWith("-password"))
      .map((input) => input.id);
    window.__submits.push({ form: form.id, passwords });
  }, true);
}
"""
# Records whether the sign-in button was ever disabled and aria-busy at the same time.
_WATCH_BUSY = """
() => {
  window.__busySeen = false;
  const button = document.getElementById("submit");
  const check = () => {
    if (button.disabled && button.getAttribute("aria-busy") === "true") window.__busySeen = true;
  };
  new MutationObserver(check).observe(button, { attributes: true, subtree: true });
}
"""


def _active_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_paste_into_the_password_field_is_not_blocked(
    context: BrowserContext, page: Page, live_app: LiveApp
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_app.url("/"))
    goto_ready(page, live_app.url("/login"))
    # Nothing on the page cancels a paste event...
    prevented = page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.setData("text/plain", "pasted");
          const event = new ClipboardEvent("paste", { clipboardData: data, cancelable: true });
          return !document.getElementById("password").dispatchEvent(event);
        }"""
    )
    assert prevented is False
    # ...and a real paste from the clipboard lands in the field.
    page.evaluate("text => navigator.clipboard.writeText(text)", PASSWORD)
    page.focus("#password")
    page.keyboard.press("Control+V")
    expect(page.locator("#password")).to_have_value(PASSWORD)


def test_show_password_switches_the_type_and_keeps_the_value(page: Page, live_app: LiveApp) -> None:
    goto_ready(page, live_app.url("/signup"))
    page.fill("#password", PASSWORD)
    field, toggle = page.locator("#password"), page.locator("#password-toggle")
    expect(field).to_have_attribute("type", "password")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle).to_have_attribute("aria-controls", "password")
    # A marker on the DOM node shows that the same element survives the server round trip.
    page.evaluate("document.getElementById('password').__kept = true")
    toggle.click()
    expect(field).to_have_attribute("type", "text")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_attribute("aria-label", "Hide password")
    expect(field).to_have_value(PASSWORD)
    assert page.evaluate("document.getElementById('password').__kept === true")
    # The confirmation field has its own toggle and is still hidden.
    expect(page.locator("#confirm")).to_have_attribute("type", "password")
    toggle.click()
    expect(field).to_have_attribute("type", "password")
    expect(field).to_have_value(PASSWORD)


def test_a_failed_signup_marks_the_field_and_moves_focus_to_it(
    page: Page, live_app: LiveApp
) -> None:
    taken = unique_name("taken")
    create_user(live_app, taken)
    goto_ready(page, live_app.url("/signup"))
    page.evaluate(_RECORD_SUBMITS)
    fill_signup(page, taken, PASSWORD)
    expect(page.locator("#username-error")).to_be_visible()
    username = page.locator("#username")
    expect(username).to_have_attribute("aria-invalid", "true")
    expect(username).to_have_attribute("aria-describedby", "username-error")
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "false")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'username'")
    # The button press was a real form submit, of the form holding both new passwords.
    submits = page.evaluate("window.__submits")
    assert submits == [{"form": "signup-form", "passwords": ["password", "confirm"]}]

    # Passwords that differ: the confirmation is marked and focused; the rules still describe
    # the password field.
    fill_signup(page, unique_name("fresh"), PASSWORD, confirm=OTHER_PASSWORD)
    expect(page.locator("#confirm")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#confirm")).to_have_attribute("aria-describedby", "confirm-error")
    expect(username).to_have_attribute("aria-invalid", "false")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'confirm'")
    described = page.locator("#password").get_attribute("aria-describedby") or ""
    assert {"password-rules", "password-strength"} <= set(described.split())


def test_the_strength_meter_is_announced(page: Page, live_app: LiveApp) -> None:
    goto_ready(page, live_app.url("/signup"))
    region = page.locator("#password-strength")
    expect(region).to_have_attribute("aria-live", "polite")
    page.fill("#password", PASSWORD)
    expect(region.locator("#strength-label")).to_be_visible()
    expect(region.get_by_role("progressbar", name="Password strength")).to_be_visible()


def test_a_failed_sign_in_moves_focus_and_the_button_is_busy_meanwhile(
    page: Page, live_app: LiveApp
) -> None:
    username = unique_name("focus")
    create_user(live_app, username)
    goto_ready(page, live_app.url("/login"))
    page.evaluate(_WATCH_BUSY)
    fill_login(page, username, OTHER_PASSWORD)
    expect(page.locator("#form-error")).to_have_text("Incorrect username or password.")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'password'")
    assert page.evaluate("window.__busySeen") is True
    expect(page.locator("#submit")).to_be_enabled()
    expect(page.locator("#submit")).to_have_attribute("aria-busy", "false")


def test_change_password_is_a_real_submit_that_names_the_user(
    page: Page, live_app: LiveApp
) -> None:
    username = unique_name("chsub")
    create_user(live_app, username)
    login(page, live_app, username)
    goto_ready(page, live_app.url("/account"))
    # Password managers learn whose password changed from the unseen username field.
    expect(page.locator("#change-username")).to_have_value(username)
    expect(page.locator("#change-username")).to_have_attribute("autocomplete", "username")
    page.evaluate(_RECORD_SUBMITS)
    page.fill("#current", "not the password at all")
    page.fill("#password", OTHER_PASSWORD)
    page.fill("#confirm", OTHER_PASSWORD)
    page.press("#confirm", "Enter")
    expect(page.locator("#current-error")).to_be_visible()
    expect(page.locator("#current")).to_have_attribute("aria-invalid", "true")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'current'")
    submits = page.evaluate("window.__submits")
    assert submits == [{"form": "password-form", "passwords": ["current", "password", "confirm"]}]
