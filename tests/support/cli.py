"""Operator-command test helpers: how a run ended, exit codes, and account look-ups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from nfp_app.infra import db
from nfp_app.models import AuthSession, User
from nfp_app.services import accounts, auth_sessions

OK, REFUSED, USAGE, NOT_FOUND, CONFIG = 0, 1, 2, 3, 4
# The status commands need a reason for the audit log.
WHY = ("--reason", "test")


@dataclass(frozen=True)
class Run:
    """How a command ended."""

    code: int
    out: str
    err: str


Cli = Callable[..., Run]


def find_user(engine: sa.Engine, name: str) -> User | None:
    """The account with this name, or None."""
    with Session(engine) as session:
        return accounts.find_by_username(session=session, username=name)


def live_sessions(engine: sa.Engine, user_id: int) -> int:
    """How many sessions of the user are not revoked."""
    with Session(engine) as session:
        rows = session.exec(select(AuthSession).where(AuthSession.user_id == user_id)).all()
        return sum(row.revoked_at is None for row in rows)


def sign_in(engine: sa.Engine, user: User) -> None:
    """Start an API session for the user, as POST /token would."""
    with db.session_scope(engine) as session:
        auth_sessions.start_api_session(session=session, user=user)
