"""Races on real databases: one username signed up by many at once, one code redeemed twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, func, select

from nfp_app.models import User
from nfp_app.services import accounts, auth_sessions, handoff
from tests.support.accounts import PASSWORD

T = TypeVar("T")


def _race(count: int, work: Callable[[int], T]) -> list[T | BaseException]:
    """Run `work(i)` in `count` threads released together; results or exceptions, in order."""
    barrier = threading.Barrier(count)

    def attempt(index: int) -> T | BaseException:
        barrier.wait(timeout=30)
        try:
            return work(index)
        except Exception as error:
            return error

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(attempt, range(count)))


def test_concurrent_signups_of_one_username(engine: sa.Engine) -> None:
    def signup(index: int) -> int:
        with Session(engine, expire_on_commit=False) as session:
            # Different spellings of one name, and different emails, so only the name collides.
            name = ("racer", "Racer", "RACER", "ｒａｃｅｒ")[index % 4]
            user = accounts.create_user(
                session=session, username=name, password=PASSWORD, email=f"r{index}@example.com"
            )
            session.commit()
            assert user.id is not None
            return user.id

    outcomes = _race(20, signup)
    winners = [outcome for outcome in outcomes if isinstance(outcome, int)]
    losers = [outcome for outcome in outcomes if not isinstance(outcome, int)]
    assert len(winners) == 1
    assert len(losers) == 19
    assert all(type(loser) is accounts.UsernameTakenError for loser in losers), losers
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 1
        assert session.exec(select(User.id)).one() == winners[0]


def test_concurrent_signups_of_one_email(engine: sa.Engine) -> None:
    def signup(index: int) -> int:
        with Session(engine, expire_on_commit=False) as session:
            user = accounts.create_user(
                session=session,
                username=f"racer{index}",
                password=PASSWORD,
                email="shared@example.com",
            )
            session.commit()
            assert user.id is not None
            return user.id

    outcomes = _race(10, signup)
    losers = [outcome for outcome in outcomes if not isinstance(outcome, int)]
    assert len(losers) == 9
    assert all(type(loser) is accounts.EmailTakenError for loser in losers), losers


def test_concurrent_redemptions_of_one_handoff_code(engine: sa.Engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.create_user(session=session, username="alice", password=PASSWORD)
        session.commit()
        started = auth_sessions.start_browser_session(
            session=session, user=user, persistent=False, binding="b"
        )
        session.commit()

    def redeem(_index: int) -> str | None:
        with Session(engine, expire_on_commit=False) as session:
            redeemed = handoff.redeem_handoff(
                session=session, code=started.handoff_code, binding="b"
            )
            session.commit()
            return redeemed.secret if isinstance(redeemed, handoff.RedeemedHandoff) else None

    outcomes = _race(8, redeem)
    assert not any(isinstance(outcome, BaseException) for outcome in outcomes), outcomes
    secrets = [outcome for outcome in outcomes if isinstance(outcome, str)]
    assert len(secrets) == 1
    with Session(engine) as session:
        assert auth_sessions.resume(session=session, secret=secrets[0]) is not None
