"""Ending sign-in sessions: one (logout), all of a user's, and which ones have ended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session, col, select, update

from nfp_app.infra import signout_bus
from nfp_app.models import AuthSession, User, clip, utcnow
from nfp_app.services import audit
from nfp_app.services.auth_sessions import resume


def revoke(*, session: Session, session_id: int, now: dt.datetime | None = None) -> None:
    """End one session now."""
    session.exec(
        update(AuthSession)
        .where(col(AuthSession.id) == session_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now or utcnow())
    )
    # Every way a session ends passes here or through revoke_all: the sign-out push's hint.
    signout_bus.note_ended(session, [session_id])


def end(
    *,
    session: Session,
    session_id: int,
    ip: str = "",
    tab: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Log out: end one session and record it in the audit trail, once."""
    row = session.get(AuthSession, session_id)
    if row is None or row.revoked_at is not None:
        return
    revoke(session=session, session_id=session_id, now=now)
    if tab:
        row.ended_by_tab = clip(tab, AuthSession, "ended_by_tab")
        session.add(row)
    user = session.get(User, row.user_id)
    audit.record(
        session=session,
        event="logout",
        outcome="success",
        user_id=row.user_id,
        username=user.username if user else "",
        ip=ip,
    )


def end_by_secret(*, session: Session, secret: str, ip: str = "", tab: str = "") -> None:
    """Log out the session a cookie secret belongs to, if it is still live; `tab` names the
    tab that asked, which needs no push."""
    resumed = resume(session=session, secret=secret)
    if resumed is not None:
        end(session=session, session_id=resumed[0], ip=ip, tab=tab)


def revoke_all(
    *, session: Session, user_id: int, now: dt.datetime | None = None, keep: int | None = None
) -> None:
    """End every session of a user now, but the one `keep` names."""
    query = update(AuthSession).where(
        col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None)
    )
    if keep is not None:
        query = query.where(col(AuthSession.id) != keep)
    ended = session.exec(query.values(revoked_at=now or utcnow()).returning(col(AuthSession.id)))
    signout_bus.note_ended(session, ended.scalars().all())


def ended_among(*, session: Session, session_ids: Iterable[int]) -> dict[int, str]:
    """Which of these sessions were revoked, or deleted with their user; each with the tab
    that logged out itself ("" when none did)."""
    wanted = set(session_ids)
    if not wanted:
        return {}
    rows = session.exec(
        select(AuthSession.id, AuthSession.revoked_at, AuthSession.ended_by_tab).where(
            col(AuthSession.id).in_(wanted)
        )
    ).all()
    ended = {
        row_id: tab or ""
        for row_id, revoked_at, tab in rows
        if row_id is not None and revoked_at is not None
    }
    gone = wanted - {row_id for row_id, _revoked, _tab in rows}
    return {**ended, **dict.fromkeys(gone, "")}
