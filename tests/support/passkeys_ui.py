"""Passkeys through the UI: an account with one, made on Chromium's virtual authenticator."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlmodel import col, update

from nfp_app.infra import db
from nfp_app.models import User
from tests.support.accounts import PASSWORD, create_user
from tests.support.live_app import LiveApp
from tests.support.ui import goto_ready, hydrations, login, wait_hydrated
from tests.support.virtual_authenticator import VirtualAuthenticator, attach

ADMIN_URL = re.compile(r"/admin/?$")


def passkey_rows(page: Page) -> list[str]:
    """The names in /account's passkeys list, top to bottom."""
    return page.locator("#passkeys-table .passkey-name").all_inner_texts()


def add_passkey(page: Page, name: str, *, password: str | None = PASSWORD) -> None:
    """On /account: "Add a passkey", re-authenticate (password or passkey), name it, create it."""
    page.click("#add-passkey")
    if password is None:
        page.click("#passkey-reauth")
    else:
        page.fill("#passkey_password", password)
        page.click("#passkey-reauth-password")
    page.fill("#new_passkey_name", name)
    page.click("#create-passkey")
    expect(page.locator("#passkeys-notice")).to_have_text(f"Passkey “{name}” added.")


def account_with_passkey(
    page: Page, app: LiveApp, username: str, name: str = "Laptop"
) -> VirtualAuthenticator:
    """A new account, signed in on the page, with one passkey on the page's authenticator."""
    create_user(app, username)
    authenticator = attach(page)
    login(page, app, username)
    goto_ready(page, app.url("/account"))
    add_passkey(page, name)
    expect(page.locator("#passkeys-table .passkey-name")).to_have_text([name])
    return authenticator


def signed_out_login(page: Page, app: LiveApp) -> None:
    """Forget the session (the cookies) and open /login in the same page, authenticator and all.

    Chromium hands a conditional (autofill) request straight to a virtual authenticator, which
    answers it if it may: make it wait (no presence, no user verification) before calling this
    when the test is about the button.
    """
    page.context.clear_cookies()
    goto_ready(page, app.url("/login"))


# Records the `mediation` of every navigator.credentials.get() the page makes (test-only).
MEDIATIONS = """
(() => {
  const get = navigator.credentials.get.bind(navigator.credentials);
  window.__mediations = [];
  navigator.credentials.get = (options) => {
    window.__mediations.push(options?.mediation ?? "");
    return get(options);
  };
})();
"""


def record_mediations(page: Page) -> None:
    """From the next navigation on, the page records each WebAuthn request's mediation."""
    page.add_init_script(MEDIATIONS)


def mediations(page: Page) -> list[str]:
    """The mediation of each WebAuthn request since the page loaded."""
    return page.evaluate("window.__mediations ?? []")


def signed_in_as(page: Page, username: str, before: int) -> None:
    """The passkey let the user in: /admin shows the account, after its own session check."""
    wait_hydrated(page, before, "/admin after the passkey")
    expect(page).to_have_url(ADMIN_URL)
    expect(page.locator("#account-username")).to_have_text(username)


def drop_password(app: LiveApp, username: str) -> None:
    """Make the account passwordless, as a passkey signup leaves it (hashed_password "")."""
    with db.session_scope(db.engine_for(app.database_url)) as session:
        session.exec(
            update(User).where(col(User.username) == username).values(hashed_password="")  # type: ignore[arg-type]
        )


__all__ = ["hydrations"]
