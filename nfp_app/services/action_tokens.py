"""Single-use tokens that links in emails carry; only their digests are stored.

Opening a link only looks at its token (mail scanners fetch links in advance); the action
behind the link consumes it, once, with a conditional UPDATE.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlmodel import Session, col, select, update

from nfp_app.models import ActionToken, User, utcnow
from nfp_app.security import tokens

Purpose = Literal["reset", "verify_email", "wasnt_me"]


def issue(
    *,
    session: Session,
    purpose: Purpose,
    user: User,
    lifetime: dt.timedelta,
    email: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """A new token for the user; every earlier unused token of this purpose stops working."""
    assert user.id is not None
    now = now or utcnow()
    session.exec(
        update(ActionToken)
        .where(
            col(ActionToken.user_id) == user.id,
            col(ActionToken.purpose) == purpose,
            col(ActionToken.used_at).is_(None),
        )
        .values(used_at=now)
    )
    secret = tokens.new_secret()
    session.add(
        ActionToken(
            purpose=purpose,
            user_id=user.id,
            token_hash=tokens.digest(secret),
            email=email,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return secret


def _valid(row: ActionToken | None, user: User | None, now: dt.datetime) -> bool:
    if row is None or user is None or row.used_at is not None or now >= row.expires_at:
        return False
    # A disabled account's links wait, unused, until it is enabled again.
    if not user.is_active:
        return False
    # A password change voids every link that was sent before it.
    return row.created_at >= user.password_changed_at


def peek(
    *, session: Session, purpose: Purpose, token: str, now: dt.datetime | None = None
) -> tuple[ActionToken, User] | None:
    """The token and its user while the token is valid; nothing is used up."""
    if not token or len(token) > tokens.MAX_SECRET_TEXT:
        return None
    row = session.exec(
        select(ActionToken).where(
            col(ActionToken.token_hash) == tokens.digest(token),
            col(ActionToken.purpose) == purpose,
        )
    ).first()
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not _valid(row, user, now or utcnow()):
        return None
    return row, user


def consume(
    *, session: Session, purpose: Purpose, token: str, now: dt.datetime | None = None
) -> tuple[ActionToken, User] | None:
    """Use a valid token up; of concurrent uses only one succeeds."""
    now = now or utcnow()
    found = peek(session=session, purpose=purpose, token=token, now=now)
    if found is None:
        return None
    row, user = found
    claimed = session.exec(
        update(ActionToken)
        .where(col(ActionToken.id) == row.id, col(ActionToken.used_at).is_(None))
        .values(used_at=now)
    )
    return (row, user) if claimed.rowcount == 1 else None
