"""One account as the console shows it: its profile, live sessions and latest audit events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from nfp_app.models import MAX_ROW_ID, AuthEvent, AuthSession, User, utcnow
from nfp_app.security.user_agents import describe_device
from nfp_app.services import auth_sessions, mfa_store, notes
from nfp_app.services.accounts import UserNotFoundError

EVENTS_SHOWN = 20


@dataclass(frozen=True, slots=True)
class UserProfile:
    """What the console shows about the account itself (never its password hash)."""

    id: int
    username: str
    email: str | None
    is_active: bool
    is_admin: bool
    is_verified: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    password_changed_at: dt.datetime
    mfa_enabled: bool = False
    # How many notes the account has: the console shows the number, never the text.
    notes: int = 0


@dataclass(frozen=True, slots=True)
class LiveSession:
    """One live sign-in session of the account."""

    id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    ip: str
    user_agent: str
    device: str
    persistent: bool


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit event of the account."""

    id: int
    created_at: dt.datetime
    event: str
    outcome: str
    ip: str
    detail: str


@dataclass(frozen=True, slots=True)
class UserDetail:
    """The console's page of one account."""

    profile: UserProfile
    sessions: tuple[LiveSession, ...]
    events: tuple[AuditEntry, ...]


def parse_id(text: object) -> int | None:
    """A database id from text (a URL, a form), or None for anything else (signs, too large)."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_ROW_ID else None


def _profile(session: Session, user: User) -> UserProfile:
    assert user.id is not None
    return UserProfile(
        id=user.id,
        username=user.username,
        email=user.email,
        is_active=user.is_active,
        is_admin=user.is_admin,
        is_verified=user.email_verified_at is not None,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        password_changed_at=user.password_changed_at,
        mfa_enabled=mfa_store.is_enabled(session, user),
        notes=notes.count_notes(session=session, owner_id=user.id),
    )


def live_sessions(*, session: Session, user_id: int, now: dt.datetime) -> list[LiveSession]:
    """The user's live sessions (what `auth_sessions.is_live` accepts), newest first."""
    rows = session.exec(
        select(AuthSession)
        .where(
            col(AuthSession.user_id) == user_id,
            col(AuthSession.revoked_at).is_(None),
            col(AuthSession.expires_at) > now,
        )
        .order_by(col(AuthSession.created_at).desc(), col(AuthSession.id).desc())
    ).all()
    return [
        LiveSession(
            id=row.id,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            ip=row.ip,
            user_agent=row.user_agent,
            device=describe_device(row.user_agent),
            persistent=row.persistent,
        )
        for row in rows
        if row.id is not None and auth_sessions.is_live(row, now=now)
    ]


def recent_events(*, session: Session, user_id: int, limit: int) -> list[AuditEntry]:
    """The user's latest audit events, newest first by (created_at, id)."""
    rows = session.exec(
        select(AuthEvent)
        .where(col(AuthEvent.user_id) == user_id)
        .order_by(col(AuthEvent.created_at).desc(), col(AuthEvent.id).desc())
        .limit(max(limit, 0))
    ).all()
    return [
        AuditEntry(
            id=row.id,
            created_at=row.created_at,
            event=row.event,
            outcome=row.outcome,
            ip=row.ip,
            detail=row.detail,
        )
        for row in rows
        if row.id is not None
    ]


def load_user_detail(
    *, session: Session, user_id: int, now: dt.datetime | None = None, events: int = EVENTS_SHOWN
) -> UserDetail:
    """The account's profile, live sessions and latest events; UserNotFoundError if none."""
    user = session.get(User, user_id) if 0 < user_id <= MAX_ROW_ID else None
    if user is None:
        raise UserNotFoundError()
    return UserDetail(
        profile=_profile(session, user),
        sessions=tuple(live_sessions(session=session, user_id=user_id, now=now or utcnow())),
        events=tuple(recent_events(session=session, user_id=user_id, limit=events)),
    )
