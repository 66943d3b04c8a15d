"""The console overview in real Chromium: counters match the database, the chart has data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from nfp_app.infra import db
from nfp_app.models import AuthEvent, utcnow
from nfp_app.services import admin_overview, sign_in_days
from tests.support.accounts import make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import login

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

# Sign-ins some days ago: (days back, successes, failures), at noon UTC.
HISTORY = ((3, 4, 2), (10, 7, 0), (20, 0, 3))


def _add_history(app: LiveApp, name: str) -> None:
    midday = dt.datetime.combine(utcnow().date(), dt.time(12), tzinfo=dt.UTC)
    rows = []
    for days_back, successes, failures in HISTORY:
        at = midday - dt.timedelta(days=days_back)
        for outcome, count in (("success", successes), ("failure", failures)):
            row = {"created_at": at, "event": "login", "outcome": outcome, "username": name}
            rows += [row] * count
    rows.append(
        {"created_at": utcnow(), "event": "login", "outcome": "throttled", "username": name}
    )
    with db.session_scope(db.engine_for(app.database_url)) as session:
        session.execute(sa.insert(AuthEvent), rows)
        # Backdated rows: ended days that an earlier overview already kept are counted again.
        sign_in_days.forget(session=session)


def _database_figures(
    app: LiveApp,
) -> tuple[admin_overview.Counters, list[admin_overview.DaySignIns]]:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        return (
            admin_overview.counters(session=session),
            admin_overview.sign_ins_per_day(session=session),
        )


def test_console_overview_shows_the_database_figures(page: Page, live_app: LiveApp) -> None:
    """Each counter shows what the service counts; the chart draws one bar per non-zero value,
    and its text alternative lists every day."""
    admin = unique_name("ovboss")
    make_admin(live_app, admin)
    _add_history(live_app, unique_name("ovguess"))
    login(page, live_app, admin)
    chart = page.locator("#sign-in-chart")
    expect(chart.locator("svg.recharts-surface").first).to_be_visible()
    counters, series = _database_figures(live_app)
    assert counters.locked_out >= 1
    assert counters.sign_ins_24h >= 1  # the administrator's own sign-in
    for counter_id, value in (
        ("counter-users", counters.users),
        ("counter-sessions", counters.active_sessions),
        ("counter-sign-ins", counters.sign_ins_24h),
        ("counter-failed", counters.failed_sign_ins_24h),
        ("counter-locked", counters.locked_out),
    ):
        expect(page.locator(f"#{counter_id}-value")).to_have_text(str(value))

    non_zero = sum((day.successes > 0) + (day.failures > 0) for day in series)
    assert non_zero >= 5
    expect(chart.locator(".recharts-bar-rectangle path")).to_have_count(non_zero)
    # The bars are in the chart's colours: green for successes, red for failures.
    fills = chart.locator(".recharts-bar-rectangle path").evaluate_all(
        "paths => paths.map((p) => p.getAttribute('fill'))"
    )
    assert {"var(--grass-9)", "var(--tomato-9)"} <= set(fills)

    rows = page.locator("#sign-in-table tbody tr")
    expect(rows).to_have_count(30)
    cells = rows.evaluate_all("rows => rows.map((r) => Array.from(r.cells, (c) => c.textContent))")
    assert cells == [[day.day.isoformat(), str(day.successes), str(day.failures)] for day in series]
    total_ok = sum(day.successes for day in series)
    total_failed = sum(day.failures for day in series)
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_have_attribute(
        "aria-label", re.compile(rf"{total_ok} successful and {total_failed} failed in total")
    )
