"""/admin/audit in Chromium, production mode, PostgreSQL: filters, keyset pages, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.models import AuthEvent
from nfp_app.services import accounts, audit_export, audit_log
from nfp_app.services.audit_log import AuditQuery
from tests.support.accounts import create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import goto_ready, login

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

PAGE_SIZE = 20  # the USERS_PAGE_SIZE default the live app runs with
CHANGES = 27  # two pages of password changes: 20, then 7


def _seed(app: LiveApp) -> tuple[int, str]:
    """A user with CHANGES password changes (formula-like details among them), a few logins."""
    name = unique_name("audited")
    create_user(app, name)
    now = dt.datetime.now(dt.UTC)
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=name)
        assert user is not None
        assert user.id is not None
        user_id = user.id

        def row(i: int, event: str, detail: str) -> dict[str, object]:
            return {
                "created_at": now - dt.timedelta(minutes=i),
                "event": event,
                "outcome": "success",
                "user_id": user_id,
                "username": name,
                "ip": "203.0.113.7",
                "user_agent": "pytest",
                "detail": detail,
            }

        rows = [row(i, "password_change", d) for i, d in enumerate(f"c{i}" for i in range(CHANGES))]
        rows[0]["detail"] = "=HYPERLINK(1)"
        rows += [row(100 + i, "login", f"login {i}") for i in range(3)]
        session.execute(sa.insert(AuthEvent), rows)
    return user_id, name


def _details(page: Page) -> list[str]:
    return page.locator("#audit-table tbody tr td:last-child").all_inner_texts()


def test_filter_page_and_export(page: Page, live_app: LiveApp) -> None:
    admin = unique_name("auditor")
    make_admin(live_app, admin)
    user_id, name = _seed(live_app)
    login(page, live_app, admin)
    goto_ready(page, live_app.url(routes.ADMIN_AUDIT))
    expect(page.locator("#audit-table")).to_be_visible()

    page.fill("#audit-user", name.upper())
    page.select_option("#audit-type", "password_change")
    page.click("#audit-apply")
    expected = [f"c{i}" for i in range(CHANGES)]
    expected[0] = "=HYPERLINK(1)"
    rows = page.locator("#audit-table tbody tr")
    expect(rows.first.locator("td:last-child")).to_have_text(expected[0])
    expect(rows).to_have_count(PAGE_SIZE)
    assert _details(page) == expected[:PAGE_SIZE]
    assert set(rows.locator("td:nth-child(4)").all_inner_texts()) == {name}
    expect(page.locator("#audit-previous")).to_be_disabled()

    page.click("#audit-next")
    expect(page.locator("#audit-page")).to_have_text("Page 2")
    expect(rows).to_have_count(CHANGES - PAGE_SIZE)
    assert _details(page) == expected[PAGE_SIZE:]
    expect(page.locator("#audit-next")).to_be_disabled()
    page.click("#audit-previous")
    expect(page.locator("#audit-page")).to_have_text("Page 1")
    expect(rows.first.locator("td:last-child")).to_have_text(expected[0])

    with page.expect_download() as download_info:
        page.click("#audit-export")
    download = download_info.value
    assert download.suggested_filename == f"audit-{dt.datetime.now(dt.UTC):%Y%m%d}.csv"
    path = download.path()
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    with db.session_scope(db.engine_for(live_app.database_url)) as session:
        query = AuditQuery(user_id=user_id, event="password_change")
        stored = audit_log.list_events(session=session, query=query, limit=1000).rows
    assert table[0] == list(audit_export.COLUMNS)
    assert len(table) == 1 + CHANGES == 1 + len(stored)
    for line, row in zip(table[1:], stored, strict=True):
        assert line[0] == row.created_at.isoformat()
        assert line[1:6] == [row.event, row.outcome, str(user_id), name, row.ip]
        assert line[7] == audit_export.safe_cell(row.detail)
    assert table[1][7] == "'=HYPERLINK(1)"
    expect(page.locator("#audit-message")).to_have_text(f"Exported {CHANGES} events.")


def test_user_id_in_the_address_and_bad_input(page: Page, live_app: LiveApp) -> None:
    admin = unique_name("auditor")
    make_admin(live_app, admin)
    user_id, name = _seed(live_app)
    login(page, live_app, admin)
    goto_ready(page, live_app.url(f"{routes.ADMIN_AUDIT}?user_id={user_id}"))
    expect(page.locator("#audit-user")).to_have_value(name)
    rows = page.locator("#audit-table tbody tr")
    expect(rows).to_have_count(PAGE_SIZE)
    assert set(rows.locator("td:nth-child(4)").all_inner_texts()) == {name}

    page.fill("#audit-since", "2026-03-05")
    page.fill("#audit-until", "2026-03-01")
    page.click("#audit-apply")
    expect(page.locator("#audit-message")).to_have_text("The 'to' date is before the 'from' date.")
    expect(rows).to_have_count(0)
    page.fill("#audit-since", "")
    page.fill("#audit-until", "")
    page.fill("#audit-user", "nobody_by_that_name")
    page.click("#audit-apply")
    expect(page.locator("#audit-message")).to_have_text("No user is named 'nobody_by_that_name'.")


def test_regular_users_get_no_audit_log(page: Page, live_app: LiveApp) -> None:
    member = unique_name("member")
    create_user(live_app, member)
    login(page, live_app, member)
    goto_ready(page, live_app.url(routes.ADMIN_AUDIT))
    expect(page.locator("#nav-username")).to_have_text(member)
    expect(page.locator("#audit-table")).to_have_count(0)
    expect(page.locator("#audit-filters")).to_have_count(0)
