"""Signup errors are shown next to their field, and the form keeps what may be kept."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from nfp_app.infra.settings import get_settings
from tests.support.accounts import create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import fill_signup, goto_ready, next_frames, session_cookie, wait_answered

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

OTHER_PASSWORD = "quartz-Meadow-62-kettle"

ERROR_IDS = ("#username-error", "#email-error", "#password-error", "#confirm-error", "#form-error")


def _expect_only_error(page: Page, error_id: str, text: str) -> None:
    """Exactly one inline error is shown, with this text."""
    expect(page.locator(error_id)).to_have_text(text)
    expect(page.locator(error_id)).to_be_visible()
    for other in ERROR_IDS:
        if other != error_id:
            expect(page.locator(other)).to_have_count(0)


def _expect_form_kept(page: Page, username: str) -> None:
    """The username is still there; both password fields were emptied, and so was the hint."""
    expect(page.locator("#username")).to_have_value(username)
    expect(page.locator("#password")).to_have_value("")
    expect(page.locator("#confirm")).to_have_value("")
    expect(page).to_have_url(re.compile(r"/signup/?$"))
    # The rating the debounce sends after the last keystroke may reach the server after the
    # clear; wait until it has been answered, then the hint must still be gone.
    wait_answered(page, "rate_password", '"strength_label_rx_state_":""', "the last rating")
    next_frames(page)
    expect(page.locator("#strength-label")).to_have_count(0)


def test_signup_errors_are_inline_and_keep_the_username(
    page: Page, live_app: LiveApp, dialogs: list[str]
) -> None:
    """Taken name (in another case), mismatched and short passwords: inline, no dialogs."""
    taken = unique_name("Taken")
    create_user(live_app, taken)
    goto_ready(page, live_app.url("/signup"))

    same_name_other_case = taken.swapcase()
    fill_signup(page, same_name_other_case, OTHER_PASSWORD)
    _expect_only_error(page, "#username-error", "That username is already taken.")
    _expect_form_kept(page, same_name_other_case)

    fresh = unique_name("fresh")
    fill_signup(page, fresh, OTHER_PASSWORD, confirm=OTHER_PASSWORD + "!")
    _expect_only_error(page, "#confirm-error", "The passwords do not match.")
    _expect_form_kept(page, fresh)

    fill_signup(page, fresh, "short1")
    minimum = get_settings().password_min_length
    _expect_only_error(
        page, "#password-error", f"Password must be at least {minimum} characters long."
    )
    _expect_form_kept(page, fresh)

    assert session_cookie(page.context) is None
    expect(page.locator("#account-username")).to_have_count(0)
    assert dialogs == []
