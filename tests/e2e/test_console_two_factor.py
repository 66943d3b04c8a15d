"""Two-factor authentication in the console (Chromium, production mode): each account's 2FA
status on the user list and its page, and an administrator's reset with a reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.models import AuthEvent
from nfp_app.services import accounts, mfa_store
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.mailbox import MAILBOX
from tests.support.mfa import enable_mfa
from tests.support.overrides import Override
from tests.support.ui import goto_ready, login

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

REASON = "phone lost, ticket 88"


def _user_id(app: LiveApp, username: str) -> int:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        assert user.id is not None
        return user.id


def _mfa_on(app: LiveApp, username: str) -> bool:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        return mfa_store.is_enabled(session, user)


def _with_2fa(app: LiveApp, override: Override, username: str, email: str | None) -> None:
    create_user(app, username, email=email)
    override(SECRET_KEY=app.secret_key)
    enable_mfa(db.engine_for(app.database_url), _user_id(app, username), PASSWORD)


def test_the_list_and_the_page_show_2fa_status(
    page: Page, live_app: LiveApp, override: Override
) -> None:
    prefix = unique_name("tfa")
    on, off = f"{prefix}_on", f"{prefix}_off"
    _with_2fa(live_app, override, on, None)
    create_user(live_app, off)
    admin = unique_name("tfaadm")
    make_admin(live_app, admin)
    login(page, live_app, admin)

    goto_ready(page, live_app.url(routes.ADMIN_USERS))
    page.locator("#user-search").fill(prefix)
    rows = page.locator("#users-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(f'tr[data-username="{on}"] .mfa-badge')).to_have_text("2FA on")
    expect(page.locator(f'tr[data-username="{off}"] .mfa-badge')).to_have_text("2FA off")

    goto_ready(page, live_app.url(routes.admin_user(_user_id(live_app, on))))
    expect(page.locator("#user-detail-heading")).to_have_text(on)
    expect(page.locator("#user-detail-status")).to_contain_text("2FA on")
    expect(page.locator("#user-detail-mfa")).to_have_text("On")
    expect(page.locator("#user-action-reset-mfa")).to_be_enabled()

    goto_ready(page, live_app.url(routes.admin_user(_user_id(live_app, off))))
    expect(page.locator("#user-detail-heading")).to_have_text(off)
    expect(page.locator("#user-detail-status")).to_contain_text("2FA off")
    expect(page.locator("#user-detail-mfa")).to_have_text("Off")
    # Nothing to reset: the action is offered only while 2FA is on.
    expect(page.locator("#user-action-reset-mfa")).to_be_disabled()


def test_reset_2fa_with_a_reason(page: Page, live_app: LiveApp, override: Override) -> None:
    name = unique_name("tfarst")
    email = f"{name}@mail.example"
    _with_2fa(live_app, override, name, email)
    admin = unique_name("tfaadm")
    make_admin(live_app, admin)
    login(page, live_app, admin)
    goto_ready(page, live_app.url(routes.admin_user(_user_id(live_app, name))))
    expect(page.locator("#user-detail-mfa")).to_have_text("On")

    page.click("#user-action-reset-mfa")
    expect(page.locator("#reason-input")).to_be_visible()
    page.fill("#reason-input", REASON)
    page.click("#confirm-action")
    expect(page.locator("#action-message")).to_contain_text(
        f"Two-factor authentication of {name} was reset."
    )
    expect(page.locator("#reason-dialog")).to_have_count(0)
    expect(page.locator("#user-detail-mfa")).to_have_text("Off")
    expect(page.locator("#user-detail-status")).to_contain_text("2FA off")
    assert not _mfa_on(live_app, name)

    with db.session_scope(db.engine_for(live_app.database_url)) as session:
        [entry] = session.exec(
            select(AuthEvent).where(
                col(AuthEvent.username) == name, col(AuthEvent.event) == "mfa_reset"
            )
        ).all()
        assert entry.outcome == "success"
        assert entry.detail == f"reason: {REASON} by {admin}"
    # The account's page lists the event, and the audit log has it too.
    expect(page.locator("#user-events tbody tr").first).to_contain_text("mfa_reset")
    goto_ready(page, live_app.url(f"{routes.ADMIN_AUDIT}?user_id={_user_id(live_app, name)}"))
    expect(page.locator("#audit-table tbody tr").first).to_contain_text(REASON)
    mail = MAILBOX.wait_for(email, "Two-factor authentication was turned off")
    assert "by an administrator" in mail.text()
