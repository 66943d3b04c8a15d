"""The console overview's counters and per-day series from known rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.models import AuthEvent, AuthSession, SignInDay, User
from nfp_app.services import admin_overview, sign_in_days
from nfp_app.services.sign_in_days import DaySignIns, sign_ins_per_day

# Just after midnight UTC: "the last 24 h" and "today" differ, which the tests rely on.
NOW = dt.datetime(2026, 3, 10, 0, 30, tzinfo=dt.UTC)


def _users(session: Session, count: int) -> list[int]:
    rows = [
        {
            "username": f"ov{i}",
            "username_key": f"ov{i}",
            "hashed_password": "x",
            "created_at": NOW,
            "password_changed_at": NOW,
        }
        for i in range(count)
    ]
    session.execute(sa.insert(User), rows)
    session.commit()
    return list(session.execute(sa.select(User.id).order_by(User.id)).scalars())  # type: ignore[arg-type]


def _event(at: dt.datetime, outcome: str, *, event: str = "login", name: str = "ov0") -> dict:
    return {"created_at": at, "event": event, "outcome": outcome, "username": name}


def _session(user_id: int, **fields: object) -> dict[str, object]:
    return {
        "user_id": user_id,
        "persistent": False,
        "created_at": NOW - dt.timedelta(hours=1),
        "last_seen_at": NOW - dt.timedelta(minutes=1),
        "expires_at": NOW + dt.timedelta(days=1),
        **fields,
    }


def test_counters_follow_their_definitions(session: Session) -> None:
    """Each counter counts what its docstring says and nothing that only looks like it."""
    ids = _users(session, 3)
    idle = get_settings().session_idle_minutes
    window = get_settings().throttle_account_window_seconds
    sessions = [
        _session(ids[0]),  # live
        _session(ids[0], persistent=True, last_seen_at=NOW - dt.timedelta(days=3)),  # remembered
        _session(ids[1], last_seen_at=NOW - dt.timedelta(minutes=idle + 1)),  # idle
        _session(ids[1], revoked_at=NOW - dt.timedelta(minutes=5)),  # revoked
        _session(ids[2], expires_at=NOW - dt.timedelta(seconds=1)),  # expired
    ]
    session.execute(sa.insert(AuthSession), sessions)
    hour = dt.timedelta(hours=1)
    events = [
        _event(NOW - hour, "success"),
        _event(NOW - 23 * hour, "success"),
        _event(NOW - 25 * hour, "success"),  # older than 24 h
        _event(NOW - hour, "failure"),
        _event(NOW - 2 * hour, "failure", name="ov1"),
        _event(NOW - hour, "success", event="logout"),  # not a sign-in
        _event(NOW - hour, "failure", event="password_change"),
        # Locked out: throttled within the window, twice for one key, once for another.
        _event(NOW - dt.timedelta(seconds=10), "throttled", name="ov1"),
        _event(NOW - dt.timedelta(seconds=20), "throttled", name="ov1"),
        _event(NOW - dt.timedelta(seconds=30), "throttled", name="nobody"),
        _event(NOW - dt.timedelta(seconds=window + 5), "throttled", name="ov2"),  # too old
    ]
    session.execute(sa.insert(AuthEvent), events)
    session.commit()

    counters = admin_overview.counters(session=session, now=NOW)

    assert counters == admin_overview.Counters(
        users=3, active_sessions=2, sign_ins_24h=2, failed_sign_ins_24h=2, locked_out=2
    )


def test_counters_of_an_empty_database(session: Session) -> None:
    """No rows: zeros, not errors."""
    assert admin_overview.counters(session=session, now=NOW) == admin_overview.Counters(
        0, 0, 0, 0, 0
    )


def test_sign_ins_per_day_groups_by_utc_day_and_fills_gaps(session: Session) -> None:
    """30 days oldest first, every day present, events on day edges in the right day."""
    today = NOW.date()
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    first_midnight = midnight - dt.timedelta(days=29)
    events = [
        _event(midnight, "success"),  # exactly at today's start: today
        _event(midnight - dt.timedelta(microseconds=1), "success"),  # yesterday's last moment
        _event(midnight - dt.timedelta(microseconds=1), "failure"),
        _event(NOW, "failure"),
        _event(first_midnight, "success"),  # the first day's start
        _event(first_midnight - dt.timedelta(seconds=1), "success"),  # before the window
        _event(midnight - dt.timedelta(days=5, hours=-3), "throttled"),  # not counted
        _event(midnight - dt.timedelta(days=5, hours=-3), "success", event="logout"),
        # Stored with another offset: still counted on its UTC day.
        _event(
            dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2))), "success"
        ),
    ]
    session.execute(sa.insert(AuthEvent), events)
    session.commit()

    series = admin_overview.sign_ins_per_day(session=session, now=NOW)

    assert [day.day for day in series] == [
        today - dt.timedelta(days=29 - offset) for offset in range(30)
    ]
    found = {
        day.day: (day.successes, day.failures) for day in series if day.successes or day.failures
    }
    assert found == {
        today: (1, 1),
        today - dt.timedelta(days=1): (1, 1),
        today - dt.timedelta(days=29): (1, 0),
        dt.date(2026, 3, 3): (1, 0),
    }


def test_sign_ins_per_day_takes_any_length(session: Session) -> None:
    """`days` sets the length; the last entry is today."""
    series = admin_overview.sign_ins_per_day(session=session, days=7, now=NOW)
    assert len(series) == 7
    assert series[-1] == admin_overview.DaySignIns(day=NOW.date(), successes=0, failures=0)


def test_ended_days_are_kept_and_today_is_counted_live(session: Session) -> None:
    """Ended days are counted once into sign_in_day; today, and a day that ended moments ago,
    are counted from the audit trail each time."""
    yesterday_noon = NOW - dt.timedelta(hours=12, minutes=30)
    session.execute(
        sa.insert(AuthEvent),
        [
            _event(yesterday_noon - dt.timedelta(days=1), "success"),
            _event(yesterday_noon, "success"),
            _event(NOW, "failure"),
        ],
    )
    session.commit()
    # Five minutes after midnight: yesterday may still get a late commit, so it is not kept.
    just_after = NOW.replace(minute=5)
    first = sign_ins_per_day(session=session, days=3, now=just_after)
    kept = session.execute(sa.select(SignInDay.day).order_by(SignInDay.day)).scalars().all()  # type: ignore[arg-type]
    assert kept == [NOW.date() - dt.timedelta(days=2)]
    assert [(d.successes, d.failures) for d in first] == [(1, 0), (1, 0), (0, 1)]

    assert sign_ins_per_day(session=session, days=3, now=NOW) == first
    assert first[-1] == DaySignIns(NOW.date(), 0, 1)
    session.commit()
    kept = session.execute(sa.select(SignInDay.day).order_by(SignInDay.day)).scalars().all()  # type: ignore[arg-type]
    assert kept == [NOW.date() - dt.timedelta(days=d) for d in (2, 1)]
    # A kept day is read, not recounted; forget() makes it count again.
    session.execute(sa.insert(AuthEvent), [_event(yesterday_noon, "failure")])
    session.commit()
    assert sign_ins_per_day(session=session, days=3, now=NOW)[1].failures == 0
    sign_in_days.forget(session=session)
    assert sign_ins_per_day(session=session, days=3, now=NOW)[1].failures == 1
