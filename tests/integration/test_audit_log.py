"""The audit log on real databases: filters, date bounds, keyset walks, cursors and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from nfp_app.models import AuthEvent, User
from nfp_app.services import audit_cursor, audit_export, audit_log
from nfp_app.services.audit_log import AuditQuery
from nfp_app.state.audit_filters import FilterError, query_from_form

BASE = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def _event(i: int, **fields: object) -> dict[str, object]:
    return {
        "created_at": BASE + dt.timedelta(seconds=i // 3),  # ties: three events a second
        "event": "login",
        "outcome": "success",
        "user_id": None,
        "username": f"user{i}",
        "ip": "10.0.0.1",
        "user_agent": "pytest",
        "detail": "",
        **fields,
    }


def _insert(session: Session, rows: list[dict[str, object]]) -> None:
    session.execute(sa.insert(AuthEvent), rows)
    session.commit()


def _user(session: Session, name: str) -> int:
    user = User(username=name, username_key=name, hashed_password="x", password_changed_at=BASE)
    session.add(user)
    session.commit()
    assert user.id is not None
    return user.id


def _ids(session: Session, query: AuditQuery, limit: int = 1000) -> list[int]:
    return [row.id for row in audit_log.list_events(session=session, query=query, limit=limit).rows]


def test_each_filter_and_newest_first(session: Session) -> None:
    alice = _user(session, "alice")
    _insert(
        session,
        [
            _event(0, user_id=alice, username="alice"),
            _event(3, event="logout", user_id=alice, username="alice"),
            _event(6, outcome="failure", ip="192.0.2.9"),
            _event(9, event="logout", outcome="throttled", ip="192.0.2.9"),
        ],
    )
    every = _ids(session, AuditQuery())
    assert len(every) == 4
    rows = audit_log.list_events(session=session, query=AuditQuery(), limit=10).rows
    assert [row.created_at for row in rows] == sorted(
        (row.created_at for row in rows), reverse=True
    )
    newest_first = every
    assert _ids(session, AuditQuery(user_id=alice)) == newest_first[2:]
    assert _ids(session, AuditQuery(event="logout")) == [newest_first[0], newest_first[2]]
    assert _ids(session, AuditQuery(outcome="failure")) == [newest_first[1]]
    assert _ids(session, AuditQuery(ip="192.0.2.9")) == newest_first[:2]
    assert _ids(session, AuditQuery(ip="192.0.2.9", event="logout")) == newest_first[:1]
    assert _ids(session, AuditQuery(user_id=alice, outcome="throttled")) == []


def test_since_is_inclusive_and_until_exclusive(session: Session) -> None:
    _insert(session, [_event(i * 3) for i in range(5)])  # one event a second, BASE + 0..4 s
    at = [BASE + dt.timedelta(seconds=s) for s in range(6)]
    assert len(_ids(session, AuditQuery(since=at[1], until=at[3]))) == 2
    assert len(_ids(session, AuditQuery(since=at[4]))) == 1
    assert len(_ids(session, AuditQuery(until=at[1]))) == 1
    # Naive times are UTC; other offsets are converted.
    naive = at[1].replace(tzinfo=None)
    assert len(_ids(session, AuditQuery(since=naive))) == 4
    paris = dt.timezone(dt.timedelta(hours=1))
    assert len(_ids(session, AuditQuery(until=at[2].astimezone(paris)))) == 2


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        (AuditQuery(event="hack"), "type", "valid types: signup, login"),
        (AuditQuery(outcome="maybe"), "outcome", "success, failure, throttled"),
        (AuditQuery(since=BASE, until=BASE), "until", "after its start"),
        (AuditQuery(until=BASE, since=BASE + dt.timedelta(days=1)), "until", "after its start"),
        (AuditQuery(ip="x" * 65), "ip", "at most 64"),
        (AuditQuery(user_id=0), "user_id", "whole number"),
    ],
)
def test_bad_filters_are_refused_clearly(
    session: Session, query: AuditQuery, field: str, says: str
) -> None:
    with pytest.raises(audit_log.AuditQueryError) as refused:
        audit_log.list_events(session=session, query=query, limit=10)
    assert refused.value.field == field
    assert says in refused.value.message


def test_keyset_walk_with_inserts_between_pages(session: Session) -> None:
    _insert(session, [_event(i, event="login" if i % 2 else "logout") for i in range(3000)])
    newest_first = [col(AuthEvent.created_at).desc(), col(AuthEvent.id).desc()]
    expected = list(session.exec(select(col(AuthEvent.id)).order_by(*newest_first)).all())
    seen: list[int] = []
    cursor: str | None = None
    for page_number in range(100):
        page = audit_log.list_events(session=session, query=AuditQuery(), limit=170, cursor=cursor)
        seen += [row.id for row in page.rows]
        # New events arrive between pages, now and at the very time of the last row.
        last_time = page.rows[-1].created_at
        _insert(
            session,
            [_event(0, created_at=last_time), _event(1, created_at=dt.datetime.now(dt.UTC))],
        )
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
        assert page_number < 99
    new_at_last_times = set(seen) - set(expected)
    # A row inserted with the same time as a page's last row but a higher id sorts before
    # the cursor: it never shows up later, and every original row shows up exactly once.
    assert not new_at_last_times
    assert seen == expected


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "x" * 500,
        "eyJ0IjoiMjAyNi0wMy0wMVQwMDowMDowMCIsImkiOjF9",  # a naive time
        "eyJ0IjoiMjAyNi0wMy0wMVQwMDowMDowMCswMDowMCIsImkiOi0xfQ",  # a negative id
        "eyJ0IjoiMjAyNi0wMy0wMVQwMDowMDowMCswMDowMCJ9",  # no id
        "WzEsMl0",  # a JSON list
    ],
)
def test_tampered_cursor_is_a_clear_error(session: Session, cursor: str) -> None:
    with pytest.raises(audit_cursor.AuditCursorError, match="Invalid cursor"):
        audit_log.list_events(session=session, query=AuditQuery(), limit=10, cursor=cursor)


def test_csv_columns_order_and_formula_escaping(session: Session) -> None:
    user_id = _user(session, "carol")
    hostile = ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx", 'plain, "quoted"\nline']
    _insert(
        session,
        [
            _event(i * 3, user_id=user_id, username="carol", detail=text, user_agent=text)
            for i, text in enumerate(hostile)
        ]
        + [_event(100, event="signup")],
    )
    text = audit_export.export_csv(session=session, query=AuditQuery(user_id=user_id))
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == list(audit_export.COLUMNS)
    body = table[1:]
    assert len(body) == len(hostile)
    expected_details = ["'" + t if t[0] in "=+-@\t\r" else t for t in reversed(hostile)]
    assert [row[7] for row in body] == expected_details
    assert [row[6] for row in body] == expected_details
    first = body[-1]
    assert first[:6] == [BASE.isoformat(), "login", "success", str(user_id), "carol", "10.0.0.1"]
    assert dt.datetime.fromisoformat(body[0][0]).tzinfo == dt.UTC


def test_csv_walks_pages_and_stops_at_the_cap(session: Session) -> None:
    _insert(session, [_event(i) for i in range(2500)])
    full = audit_export.build_csv(session=session, query=AuditQuery(), max_rows=5000)
    assert (full.row_count, full.truncated) == (2500, False)
    assert len(list(csv.reader(io.StringIO(full.text)))) == 2501
    capped = audit_export.build_csv(session=session, query=AuditQuery(), max_rows=1200)
    assert (capped.row_count, capped.truncated) == (1200, True)
    rows = list(csv.reader(io.StringIO(capped.text)))[1:]
    assert [r[4] for r in rows] == [r[4] for r in list(csv.reader(io.StringIO(full.text)))[1:1201]]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"since": "01/03/2026"}, "The from date must look like 2026-03-01."),
        ({"until": "tomorrow"}, "The to date must look like 2026-03-01."),
        (
            {"since": "2026-03-05", "until": "2026-03-01"},
            "The 'to' date is before the 'from' date.",
        ),
        ({"until": "9999-12-31"}, "The 'to' date is too far in the future."),
        ({"type": "hack"}, "Unknown event type; valid types: signup, login"),
        ({"outcome": "x"}, "Unknown outcome; valid ones: success, failure, throttled."),
        ({"username": "nobody"}, "No user is named 'nobody'."),
        ({"ip": "1" * 65}, "An IP address has at most 64 characters."),
    ],
)
def test_console_filter_form_refusals(session: Session, fields: dict[str, str], says: str) -> None:
    with pytest.raises(FilterError) as refused:
        query_from_form(session=session, fields=fields)
    assert refused.value.message.startswith(says)


def test_console_filter_form_dates_are_whole_utc_days(session: Session) -> None:
    dana = _user(session, "dana")
    fields = {"username": " DANA ", "type": "login", "since": "2026-03-01", "until": "2026-03-01"}
    query = query_from_form(session=session, fields=fields)
    assert query == AuditQuery(
        user_id=dana, event="login", since=BASE, until=BASE + dt.timedelta(days=1)
    )
    assert query_from_form(session=session, fields={"type": "", "ip": ""}) == AuditQuery()
