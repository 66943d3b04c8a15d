"""The user directory on real databases: keyset pages over 10,000 rows, filters, search."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from nfp_app.models import AuthSession, User
from nfp_app.services import user_cursor, user_directory
from nfp_app.services.user_directory_types import SORT_KEYS, SortKey, UserQuery

BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PAGE = 200


def _insert(session: Session, rows: list[dict[str, object]]) -> None:
    # Straight inserts: hashing 10,000 passwords would take minutes and test nothing here.
    session.execute(sa.insert(User), rows)
    session.commit()


def _user(name: str, **fields: object) -> dict[str, object]:
    return {
        "username": name,
        "username_key": name.lower(),
        "hashed_password": "x",
        "is_active": True,
        "is_admin": False,
        "created_at": BASE,
        "last_login_at": None,
        "password_changed_at": BASE,
        **fields,
    }


def _many(prefix: str, count: int, start: int = 0) -> list[dict[str, object]]:
    """Rows with many ties in both sort keys and a third never signed in."""
    return [
        _user(
            f"{prefix}{i}",
            created_at=BASE + dt.timedelta(seconds=i // 7),
            last_login_at=None if i % 3 == 0 else BASE + dt.timedelta(minutes=(i * 37) % 500),
        )
        for i in range(start, start + count)
    ]


def _expected_order(session: Session, sort: SortKey) -> list[int]:
    users = session.execute(sa.select(User.id, User.created_at, User.last_login_at)).all()  # type: ignore[call-overload]
    if "created" in sort:
        ordered = sorted(users, key=lambda u: (u.created_at, u.id))
    else:
        never = sorted((u for u in users if u.last_login_at is None), key=lambda u: u.id)
        signed = sorted(
            (u for u in users if u.last_login_at is not None), key=lambda u: (u.last_login_at, u.id)
        )
        ordered = never + signed
    ids = [u.id for u in ordered]
    return ids[::-1] if sort.startswith("-") else ids


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_walking_all_pages_sees_every_row_once_while_rows_are_added(
    session: Session, sort: SortKey
) -> None:
    _insert(session, _many("u", 10_000))
    expected = _expected_order(session, sort)
    seen: list[int] = []
    cursor: str | None = None
    added = itertools.count(10_000)
    for _ in range(len(expected) // PAGE + 100):
        page = user_directory.list_users(
            session=session, query=UserQuery(sort=sort), limit=PAGE, cursor=cursor
        )
        seen += [row.id for row in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
        # New accounts land before and after the walk's position in every order.
        _insert(session, _many("n", 3, start=next(added) * 3))
    assert cursor is None
    assert len(seen) == len(set(seen)), "a row was repeated"
    old = set(expected)
    assert [user_id for user_id in seen if user_id in old] == expected


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_offset_pages_follow_the_same_order(session: Session, sort: SortKey) -> None:
    _insert(session, _many("u", 60))
    expected = _expected_order(session, sort)
    pages = [
        user_directory.list_users(session=session, query=UserQuery(sort=sort), limit=7, offset=n)
        for n in range(0, 63, 7)
    ]
    assert [row.id for page in pages for row in page.rows] == expected
    assert pages[0].total == 60


def _search(session: Session, **fields: object) -> list[str]:
    page = user_directory.list_users(session=session, query=UserQuery(**fields), limit=50)  # type: ignore[arg-type]
    return sorted(row.username for row in page.rows)


def test_prefix_search_is_case_insensitive_and_takes_wildcards_literally(
    session: Session,
) -> None:
    _insert(
        session,
        [
            _user("Alice", email="alice@example.com"),
            _user("alfred", email="fred@example.com"),
            _user("bob", email="Al_B@example.com"),
            _user("carol", email="c%rol@example.com"),
            _user("dave"),
        ],
    )
    assert _search(session, prefix="AL") == ["Alice", "alfred", "bob"]
    assert _search(session, prefix="al_") == ["bob"]
    assert _search(session, prefix="%") == []
    assert _search(session, prefix="c%") == ["carol"]
    assert _search(session, prefix="fred@") == ["alfred"]
    assert _search(session, prefix="lice") == []
    assert _search(session, prefix="") == ["Alice", "alfred", "bob", "carol", "dave"]


def test_filters_combine(session: Session) -> None:
    _insert(
        session,
        [
            _user("active_admin", is_admin=True, email="a@x.org", email_verified_at=BASE),
            _user("active_user", email="b@x.org"),
            _user("disabled_user", is_active=False, email="c@x.org", email_verified_at=BASE),
            _user("disabled_admin", is_active=False, is_admin=True),
        ],
    )
    assert _search(session, active=False) == ["disabled_admin", "disabled_user"]
    assert _search(session, admin=True) == ["active_admin", "disabled_admin"]
    assert _search(session, verified=True) == ["active_admin", "disabled_user"]
    assert _search(session, verified=False) == ["active_user", "disabled_admin"]
    assert _search(session, active=True, admin=False) == ["active_user"]
    assert _search(session, prefix="disabled", admin=False, verified=True) == ["disabled_user"]


def test_rows_count_live_sessions_only(session: Session) -> None:
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    _insert(session, [_user("busy", last_login_at=now), _user("idle")])
    busy = session.execute(sa.select(User.id).where(User.username == "busy")).scalar_one()  # type: ignore[arg-type]
    later = now + dt.timedelta(days=30)

    def start(**fields: object) -> AuthSession:
        values: dict[str, object] = {"created_at": now, "last_seen_at": now, "expires_at": later}
        return AuthSession(user_id=busy, **(values | fields))  # type: ignore[arg-type]

    session.add_all(
        [
            start(persistent=True),
            start(),
            start(revoked_at=now),
            start(expires_at=now),
            start(last_seen_at=now - dt.timedelta(days=10)),  # idle too long, not remembered
        ]
    )
    session.commit()
    page = user_directory.list_users(
        session=session, query=UserQuery(sort="-last_sign_in"), limit=10, now=now
    )
    rows = {row.username: row for row in page.rows}
    assert [row.username for row in page.rows] == ["busy", "idle"]
    assert (rows["busy"].active_sessions, rows["busy"].last_sign_in_at) == (2, now)
    assert (rows["idle"].active_sessions, rows["idle"].last_sign_in_at) == (0, None)


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "bm90IGpzb24",  # "not json"
        user_cursor.encode(user_cursor.Cursor(sort="-created", value=BASE, user_id=1)),
        user_cursor.encode(user_cursor.Cursor(sort="created", value=None, user_id=1)),
        user_cursor.encode(user_cursor.Cursor(sort="created", value=BASE, user_id=0)),
        "eyJzIjoiY3JlYXRlZCIsInYiOiIyMDI2LTAxLTAxIiwiaSI6MX0",  # a naive timestamp
        "eyJzIjoiY3JlYXRlZCIsInYiOjEsImkiOjF9",  # a number for a timestamp
        "eyJzIjoiY3JlYXRlZCIsInYiOm51bGwsImkiOnRydWV9",  # true for an id
        "A" * 300,
    ],
)
def test_bad_cursors_are_refused(session: Session, cursor: str) -> None:
    with pytest.raises(user_cursor.CursorError):
        user_directory.list_users(session=session, query=UserQuery(), limit=5, cursor=cursor)
