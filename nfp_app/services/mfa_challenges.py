"""Pending second steps: a sign-in whose password was right, waiting for a code.

The token is the only handle; just its digest is stored. It lasts five minutes, is used once,
and is void after five wrong codes, so the sign-in starts again from the password.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlmodel import Session, col, delete, select, update

from nfp_app.models import MfaChallenge, User
from nfp_app.security import tokens
from nfp_app.services import audit

Channel = Literal["browser", "api"]
LIFETIME = dt.timedelta(minutes=5)
MAX_FAILURES = 5


def issue(
    *,
    session: Session,
    user: User,
    channel: Channel,
    persistent: bool,
    now: dt.datetime,
    ip: str = "",
    user_agent: str = "",
) -> str:
    """A new challenge token for the user (audited); expired ones of theirs are cleared out."""
    assert user.id is not None
    audit.record_change(
        session, "mfa_challenge", user, ip=ip, user_agent=user_agent, note=f"code asked ({channel})"
    )
    session.exec(
        delete(MfaChallenge).where(
            col(MfaChallenge.user_id) == user.id, col(MfaChallenge.expires_at) <= now
        )
    )
    token = tokens.new_secret()
    session.add(
        MfaChallenge(
            user_id=user.id,
            token_hash=tokens.digest(token),
            channel=channel,
            persistent=persistent,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    session.flush()
    return token


def find(
    *, session: Session, token: str, channel: Channel, now: dt.datetime
) -> tuple[MfaChallenge, User] | None:
    """The live challenge of this token on this channel, and its (active) user."""
    if not token or len(token) > tokens.MAX_SECRET_TEXT:
        return None
    row = session.exec(
        select(MfaChallenge).where(
            col(MfaChallenge.token_hash) == tokens.digest(token),
            col(MfaChallenge.channel) == channel,
        )
    ).first()
    if row is None or row.used_at is not None or now >= row.expires_at:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active or row.created_at < user.password_changed_at:
        return None
    return row, user


def record_failure(*, session: Session, row: MfaChallenge, now: dt.datetime) -> int:
    """Count a wrong code; the attempts left (0: the challenge is void now)."""
    session.exec(
        update(MfaChallenge)
        .where(col(MfaChallenge.id) == row.id)
        .values(failures=col(MfaChallenge.failures) + 1)
    )
    session.exec(
        update(MfaChallenge)
        .where(col(MfaChallenge.id) == row.id, col(MfaChallenge.failures) >= MAX_FAILURES)
        .values(used_at=now)
    )
    session.refresh(row)
    return 0 if row.used_at is not None else max(0, MAX_FAILURES - row.failures)


def claim(*, session: Session, row: MfaChallenge, now: dt.datetime) -> bool:
    """Use the challenge up; of concurrent claims only one succeeds."""
    claimed = session.exec(
        update(MfaChallenge)
        .where(col(MfaChallenge.id) == row.id, col(MfaChallenge.used_at).is_(None))
        .values(used_at=now)
    )
    return claimed.rowcount == 1
