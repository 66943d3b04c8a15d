"""Sign-ins per UTC day: ended days counted once and kept (sign_in_day), today counted live.

Days are half-open UTC ranges [midnight, next midnight) on created_at, so PostgreSQL and
SQLite group alike without any date function. Audit rows carry the time they were written, so
a day that ended is final; it is kept only once it ended `SETTLE` ago, which leaves a
sign-in audited just before midnight time to commit. Rows backdated by hand after their day
was kept (tests, imports) need that day's sign_in_day row deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func, select

from nfp_app.models import AuthEvent, SignInDay, utcnow

DAYS = 30
DAY = dt.timedelta(days=1)
SETTLE = dt.timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class DaySignIns:
    """Successful and failed sign-ins of one UTC day."""

    day: dt.date
    successes: int
    failures: int


def login_outcomes(since: dt.datetime, until: dt.datetime, outcomes: list[str]) -> list[Any]:
    """Audited sign-ins with these outcomes in [since, until).

    event, created_at range, outcome: what ix_auth_event_event_created (0006) serves alone.
    """
    return [
        col(AuthEvent.event) == "login",
        col(AuthEvent.created_at) >= since,
        col(AuthEvent.created_at) < until,
        col(AuthEvent.outcome).in_(outcomes),
    ]


def count_outcomes(session: Session, since: dt.datetime, until: dt.datetime) -> dict[str, int]:
    """Successful and failed sign-ins in [since, until), by outcome."""
    rows = session.exec(
        select(col(AuthEvent.outcome), func.count())
        .where(*login_outcomes(since, until, ["success", "failure"]))
        .group_by(col(AuthEvent.outcome))
    ).all()
    return {outcome: int(count) for outcome, count in rows}


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _count_day(session: Session, day: dt.date) -> DaySignIns:
    counts = count_outcomes(session, _midnight(day), _midnight(day) + DAY)
    return DaySignIns(day, counts.get("success", 0), counts.get("failure", 0))


def _keep(session: Session, counted: list[DaySignIns]) -> None:
    if not counted:
        return
    rows = [{"day": d.day, "successes": d.successes, "failures": d.failures} for d in counted]
    # Two workers may count the same day at once: same figures, the first one stays.
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(SignInDay).values(rows).on_conflict_do_nothing())


def sign_ins_per_day(
    *, session: Session, days: int = DAYS, now: dt.datetime | None = None
) -> list[DaySignIns]:
    """Successes and failures per UTC day for the last `days` days up to today, oldest first."""
    now = (now or utcnow()).astimezone(dt.UTC)
    wanted = [now.date() - dt.timedelta(days=back) for back in range(days - 1, -1, -1)]
    kept = {
        row.day: DaySignIns(row.day, row.successes, row.failures)
        for row in session.exec(
            select(SignInDay).where(col(SignInDay.day).between(wanted[0], wanted[-1]))
        ).all()
    }
    series: list[DaySignIns] = []
    to_keep: list[DaySignIns] = []
    for day in wanted:
        if day in kept:
            series.append(kept[day])
            continue
        counted = _count_day(session, day)
        series.append(counted)
        if _midnight(day) + DAY + SETTLE <= now:
            to_keep.append(counted)
    _keep(session, to_keep)
    return series


def forget(*, session: Session) -> None:
    """Drop every kept day, so that the next overview counts them again from the audit trail."""
    session.execute(sa.delete(SignInDay))
