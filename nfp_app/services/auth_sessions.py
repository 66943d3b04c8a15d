"""Server-side sign-in sessions (`auth_session` rows): open, check and resume them.

Ending them is `session_ends`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from nfp_app.infra.settings import get_settings
from nfp_app.models import AuthSession, User, clip, utcnow
from nfp_app.security import tokens

HANDOFF_LIFETIME = dt.timedelta(seconds=60)
# Writing last_seen_at on every event would turn each click into a database write.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class BrowserSession:
    """A browser's new session and the one-time code that sets its cookie."""

    session_id: int
    handoff_code: str


def _idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=get_settings().session_idle_minutes)


def is_live(row: AuthSession, *, now: dt.datetime) -> bool:
    """Not revoked, not past its absolute expiry, and (unless remembered) not idle too long."""
    if row.revoked_at is not None or now >= row.expires_at:
        return False
    return row.persistent or now - row.last_seen_at < _idle_limit()


def _open(
    session: Session,
    user: User,
    *,
    persistent: bool,
    user_agent: str,
    ip: str,
    now: dt.datetime,
    handoff: tuple[str, str] | None = None,
) -> int:
    assert user.id is not None
    settings = get_settings()
    lifetime = (
        dt.timedelta(days=settings.remember_me_days)
        if persistent
        else dt.timedelta(hours=settings.session_absolute_hours)
    )
    user.last_login_at = now
    session.add(user)
    code, binding = handoff or (None, None)
    row = AuthSession(
        user_id=user.id,
        handoff_hash=tokens.digest(code) if code else None,
        handoff_expires_at=now + HANDOFF_LIFETIME if code else None,
        handoff_binding=tokens.digest(binding) if binding else None,
        persistent=persistent,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        user_agent=clip(user_agent, AuthSession, "user_agent"),
        ip=clip(ip, AuthSession, "ip"),
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def start_browser_session(
    *,
    session: Session,
    user: User,
    persistent: bool,
    binding: str,
    user_agent: str = "",
    ip: str = "",
    now: dt.datetime | None = None,
) -> BrowserSession:
    """Open a session for a user who has just proved who they are in a browser.

    `binding` is the browser-binding cookie of the connection that proved it: the one-time
    handoff code sets the session cookie only in a browser that holds the same cookie.
    """
    assert binding, "a browser session is bound to the browser that signed in"
    code = tokens.new_secret()
    session_id = _open(
        session,
        user,
        persistent=persistent,
        user_agent=user_agent,
        ip=ip,
        now=now or utcnow(),
        handoff=(code, binding),
    )
    return BrowserSession(session_id=session_id, handoff_code=code)


def start_api_session(
    *,
    session: Session,
    user: User,
    user_agent: str = "",
    ip: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Open the session a bearer token is bound to; it has no cookie and no handoff code."""
    return _open(session, user, persistent=False, user_agent=user_agent, ip=ip, now=now or utcnow())


def _live_user(
    session: Session, row: AuthSession | None, now: dt.datetime, user: User | None = None
) -> User | None:
    if row is None or not is_live(row, now=now):
        return None
    user = user or session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
        session.add(row)
    return user


def _row_and_user(
    session: Session, condition: ColumnElement[bool]
) -> tuple[AuthSession | None, User | None]:
    """The session row that meets the condition and its user, in one round trip (a join)."""
    query = select(AuthSession, User).join(User, col(User.id) == col(AuthSession.user_id))
    found = session.exec(query.where(condition)).first()
    return (found[0], found[1]) if found is not None else (None, None)


def live_session(
    *, session: Session, session_id: int, now: dt.datetime | None = None
) -> tuple[AuthSession, User] | None:
    """A live session's row and user, refreshing its idle timer; None when it has ended."""
    row, user = _row_and_user(session, col(AuthSession.id) == session_id)
    user = _live_user(session, row, now or utcnow(), user)
    return (row, user) if row is not None and user is not None else None


def check(*, session: Session, session_id: int, now: dt.datetime | None = None) -> User | None:
    """The user of a live session, refreshing its idle timer; None when it has ended."""
    found = live_session(session=session, session_id=session_id, now=now)
    return found[1] if found is not None else None


def resume(
    *, session: Session, secret: str, now: dt.datetime | None = None
) -> tuple[int, User] | None:
    """The session id and user for a cookie secret, when that session is still live."""
    row, user = _row_and_user(session, col(AuthSession.secret_hash) == tokens.digest(secret))
    user = _live_user(session, row, now or utcnow(), user)
    if row is None or row.id is None or user is None:
        return None
    return row.id, user
