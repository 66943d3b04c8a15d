"""Prefix search takes one of three plans by what its probe of the order finds; all agree."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from nfp_app.models import User
from nfp_app.services import user_directory, user_search
from nfp_app.services.user_directory_types import SORT_KEYS, SortKey, UserQuery

BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _seed(session: Session) -> None:
    rows = [
        {
            "username": f"{'Ann' if i % 3 else 'bob'}_{i:03d}",
            "username_key": f"{'ann' if i % 3 else 'bob'}_{i:03d}",
            "email": f"x{i}@ann.example"
            if i % 4 == 0
            else (f"ANNA{i}@mail.example" if i % 5 == 0 else None),
            "hashed_password": "x",
            "is_active": i % 7 != 0,
            "created_at": BASE + dt.timedelta(minutes=i // 2),
            "last_login_at": None if i % 3 == 0 else BASE + dt.timedelta(hours=i % 11),
            "password_changed_at": BASE,
        }
        for i in range(120)
    ]
    session.execute(sa.insert(User), rows)
    session.commit()


def _walk(session: Session, query: UserQuery) -> list[int]:
    ids: list[int] = []
    cursor = None
    while True:
        page = user_directory.list_users(
            session=session, query=query, limit=7, cursor=cursor, count=False
        )
        ids += [row.id for row in page.rows]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def _expected(session: Session, query: UserQuery) -> list[int]:
    """The ids the directory must list, computed in Python (never signed in: the oldest)."""
    prefix = query.prefix.lower()
    users = [
        user
        for user in session.exec(select(User)).all()
        if (
            user.username.lower().startswith(prefix)
            or (user.email or "").lower().startswith(prefix)
        )
        and query.active in (None, user.is_active)
    ]
    descending = query.sort.startswith("-")

    def key(user: User) -> tuple[bool, dt.datetime, int]:
        value = user.last_login_at if "last_sign_in" in query.sort else user.created_at
        assert user.id is not None
        return (value is not None, value or BASE, user.id)

    return [user.id for user in sorted(users, key=key, reverse=descending) if user.id]


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_probe_walk_and_sorted_matches_agree(
    session: Session, monkeypatch: pytest.MonkeyPatch, sort: SortKey
) -> None:
    """Every prefix, filter and order gives the same pages whichever plan serves each page.

    PROBE 10,000 sees the whole table (the probe or the walk answers), 0 sees nothing (the
    sorted matches of the prefix indexes answer), 3 mixes all three from page to page.
    """
    _seed(session)
    for prefix, active in (
        ("ann", None),
        ("a", True),
        ("bob_0", False),
        ("x1", None),
        ("ann_00", None),
        ("an%", None),
        ("zz", None),
    ):
        query = UserQuery(prefix=prefix, active=active, sort=sort)
        monkeypatch.setattr(user_search, "PROBE", 10_000)
        walked = _walk(session, query)
        assert walked == _expected(session, query), (prefix, active)
        total = user_directory.list_users(session=session, query=query, limit=1).total
        for probe in (0, 3):
            monkeypatch.setattr(user_search, "PROBE", probe)
            assert _walk(session, query) == walked, (prefix, active, probe)
            assert user_directory.list_users(session=session, query=query, limit=1).total == total
        assert total == len(walked)
        assert len(set(walked)) == len(walked)
    assert walked == []
    assert _walk(session, UserQuery(prefix="ANNA", sort=sort))


def test_successor_is_the_first_string_after_the_prefix() -> None:
    """The upper bound of PostgreSQL's prefix range, also at the end of Unicode."""
    assert user_search.successor("ann_") == "ann`"
    assert user_search.successor("a\U0010ffff") == "b"
    assert user_search.successor("\ud7ff") == "\ue000"
    assert user_search.successor("\U0010ffff") is None
