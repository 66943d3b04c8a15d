"""A signed-in user's own sessions and sign-in history: list them, end them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from nfp_app.models import AuthEvent, AuthSession, User, utcnow
from nfp_app.security.user_agents import describe_device
from nfp_app.services import accounts, audit, auth_sessions, session_ends

# The events a user's own history shows.
HISTORY_EVENTS = ("login", "logout", "password_change", "session_revoke", "sessions_revoke")
HISTORY_LENGTH = 10


@dataclass(frozen=True, slots=True)
class SessionView:
    """One live session of the user, as the sessions table shows it."""

    id: int
    device: str
    ip: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise accounts.UserNotFoundError()
    return user


def sessions_of(
    *,
    session: Session,
    user_id: int,
    current_session_id: int | None,
    now: dt.datetime | None = None,
) -> list[SessionView]:
    """The user's live sessions, newest first."""
    now = now or utcnow()
    rows = session.exec(
        select(AuthSession)
        .where(col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None))
        .order_by(col(AuthSession.created_at).desc())
    ).all()
    return [
        SessionView(
            id=row.id,
            device=describe_device(row.user_agent),
            ip=row.ip,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            current=row.id == current_session_id,
        )
        for row in rows
        if row.id is not None and auth_sessions.is_live(row, now=now)
    ]


def revoke_session(*, session: Session, user_id: int, session_id: int, ip: str = "") -> bool:
    """End one of the user's own sessions; False when it is not theirs or already ended."""
    row = session.get(AuthSession, session_id)
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        return False
    session_ends.revoke(session=session, session_id=session_id)
    user = _user(session, user_id)
    audit.record(
        session=session,
        event="session_revoke",
        outcome="success",
        user_id=user_id,
        username=user.username,
        ip=ip,
        detail=f"session {session_id}",
    )
    return True


def revoke_other_sessions(*, session: Session, user_id: int, keep: int, ip: str = "") -> None:
    """End every session of the user but this one."""
    user = _user(session, user_id)
    session_ends.revoke_all(session=session, user_id=user_id, keep=keep)
    audit.record_change(session, "sessions_revoke", user, ip=ip, note="all other sessions")


def recent_events(*, session: Session, user_id: int) -> list[AuthEvent]:
    """The user's own last sign-ins, failures, password changes and revocations."""
    user = _user(session, user_id)
    mine = or_(
        col(AuthEvent.user_id) == user_id,
        # Failed sign-ins name the typed account key, not the user.
        (col(AuthEvent.user_id).is_(None)) & (col(AuthEvent.username) == user.username_key),
    )
    return list(
        session.exec(
            select(AuthEvent)
            .where(mine, col(AuthEvent.event).in_(HISTORY_EVENTS))
            .order_by(col(AuthEvent.id).desc())
            .limit(HISTORY_LENGTH)
        ).all()
    )
