"""Prefix search takes one of two plans by how common the prefix is; both find the same rows."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session

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


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_rare_and_common_plans_agree(
    session: Session, monkeypatch: pytest.MonkeyPatch, sort: SortKey
) -> None:
    """Every prefix, filter and order gives the same pages through the CTE and the plain plan."""
    _seed(session)
    for prefix, active in (
        ("ann", None),
        ("a", True),
        ("bob_0", False),
        ("x1", None),
        ("zz", None),
    ):
        query = UserQuery(prefix=prefix, active=active, sort=sort)
        monkeypatch.setattr(user_search, "RARE", 10_000)
        rare = _walk(session, query)
        total = user_directory.list_users(session=session, query=query, limit=1).total
        monkeypatch.setattr(user_search, "RARE", 0)
        assert _walk(session, query) == rare, (prefix, active)
        assert user_directory.list_users(session=session, query=query, limit=1).total == total
        assert total == len(rare)
    assert rare == []
    assert _walk(session, UserQuery(prefix="ANNA", sort=sort))
