"""Races on real databases: one TOTP code, or one recovery code, sent many times at once is
accepted exactly once."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from nfp_app.models import utcnow
from nfp_app.security import totp
from nfp_app.services import accounts, mfa_enrolment, mfa_store
from tests.support.accounts import PASSWORD

RACERS = 8


def _enrolled(engine: sa.Engine) -> tuple[int, str, list[str]]:
    with Session(engine, expire_on_commit=False) as session:
        user = accounts.create_user(session=session, username="racer", password=PASSWORD)
        assert user.id is not None
        started = mfa_enrolment.start_enrolment(session=session, user_id=user.id, password=PASSWORD)
        earlier = utcnow() - dt.timedelta(seconds=totp.STEP_SECONDS)
        code = totp.code_at(started.secret, totp.step_at(earlier))
        codes = mfa_enrolment.confirm_enrolment(
            session=session, user_id=user.id, code=code, now=earlier
        )
        session.commit()
        return user.id, started.secret, codes


def _race(engine: sa.Engine, user_id: int, code: str) -> list[object]:
    barrier = threading.Barrier(RACERS)
    now = utcnow()

    def use(_index: int) -> object:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait(timeout=30)
            try:
                accepted = mfa_store.use_code(session, user_id, code, now=now)
                session.commit()
            except Exception as error:  # a lock timeout would be a failure too
                return error
            return accepted

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        return list(pool.map(use, range(RACERS)))


@pytest.mark.parametrize("kind", ["totp", "recovery_code"])
def test_one_code_is_accepted_once_under_concurrency(engine: sa.Engine, kind: str) -> None:
    user_id, secret, codes = _enrolled(engine)
    code = totp.code_at(secret, totp.step_at(utcnow())) if kind == "totp" else codes[0]
    outcomes = _race(engine, user_id, code)
    assert outcomes.count(kind) == 1, outcomes
    assert outcomes.count(None) == RACERS - 1, outcomes
