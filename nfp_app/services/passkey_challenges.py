"""WebAuthn challenges: random, single-use, five minutes, bound to a purpose and a user.

Only the digest of the handle is stored, like mfa_challenges; the handle itself lives in the
tab's server-side state (or with the API client), so a challenge cannot be claimed by anyone
who did not start the ceremony.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Literal

from sqlmodel import Session, col, delete, select, update
from webauthn.helpers import bytes_to_base64url

from nfp_app.models import User, WebauthnChallenge
from nfp_app.security import tokens

Purpose = Literal["register", "signin", "second_factor", "reauth", "signup"]
LIFETIME = dt.timedelta(minutes=5)
CHALLENGE_BYTES = 32


def issue(
    *,
    session: Session,
    purpose: Purpose,
    now: dt.datetime,
    user: User | None = None,
    user_handle: str = "",
    pending_username: str = "",
    pending_email: str = "",
) -> tuple[str, bytes]:
    """Store a fresh challenge; its handle and the challenge bytes for the options."""
    # Expired rows are useless; clearing them here keeps the table small without a job.
    session.exec(delete(WebauthnChallenge).where(col(WebauthnChallenge.expires_at) <= now))
    handle = tokens.new_secret()
    challenge = secrets.token_bytes(CHALLENGE_BYTES)
    session.add(
        WebauthnChallenge(
            handle_hash=tokens.digest(handle),
            challenge=bytes_to_base64url(challenge),
            purpose=purpose,
            user_id=user.id if user is not None else None,
            user_handle=user_handle,
            pending_username=pending_username,
            pending_email=pending_email,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    session.flush()
    return handle, challenge


def claim(
    *,
    session: Session,
    handle: str,
    purpose: Purpose,
    now: dt.datetime,
    user: User | None = None,
) -> WebauthnChallenge | None:
    """Use up the live challenge of this handle, purpose and user; None if there is none.

    The challenge is spent before the response is checked, so a failed attempt cannot be
    retried with it either; of concurrent claims only one succeeds.
    """
    # Handles are URL-safe ASCII; anything else (a lone surrogate from JSON) is none of ours.
    if not isinstance(handle, str) or not handle.isascii() or not handle:
        return None
    if len(handle) > tokens.MAX_SECRET_TEXT:
        return None
    row = session.exec(
        select(WebauthnChallenge).where(col(WebauthnChallenge.handle_hash) == tokens.digest(handle))
    ).first()
    owner = user.id if user is not None else None
    if row is None or row.purpose != purpose or row.user_id != owner:
        return None
    if row.used_at is not None or now >= row.expires_at:
        return None
    claimed = session.exec(
        update(WebauthnChallenge)
        .where(col(WebauthnChallenge.id) == row.id, col(WebauthnChallenge.used_at).is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        return None
    session.refresh(row)
    return row
