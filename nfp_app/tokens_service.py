"""Bearer tokens for the REST API: each is checked against its live session on every request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from nfp_app import sessions
from nfp_app.models import AuthSession, User, utcnow
from nfp_app.security import tokens


@dataclass(frozen=True, slots=True)
class TokenUser:
    """The live user behind a valid token, and the session the token is bound to."""

    user: User
    session_id: int


def _whole_seconds(moment: dt.datetime) -> dt.datetime:
    # iat has one-second resolution, so compare against the change truncated to its second.
    return moment.replace(microsecond=0)


def _issued_after_password_change(
    row: AuthSession, claims: tokens.AccessClaims, user: User
) -> bool:
    # The session row keeps microseconds, so it settles ties inside the second of the change.
    changed = user.password_changed_at
    return claims.issued_at >= _whole_seconds(changed) and row.created_at >= changed


def check_token(
    *, session: Session, token: str, key: str, now: dt.datetime | None = None
) -> TokenUser | None:
    """The user and session of a valid, live token; None for any reason it must not work."""
    try:
        claims = tokens.decode_access_token(token, key=key)
    except tokens.InvalidTokenError:
        return None
    user = sessions.check(session=session, session_id=claims.session_id, now=now or utcnow())
    if user is None or user.id is None or str(user.id) != claims.subject:
        return None
    row = session.get(AuthSession, claims.session_id)
    if row is None or not _issued_after_password_change(row, claims, user):
        return None
    return TokenUser(user=user, session_id=claims.session_id)


def revoke_token_session(*, session: Session, token_user: TokenUser, ip: str = "") -> None:
    """Log out: end the session the token is bound to, and with it the token."""
    sessions.end(session=session, session_id=token_user.session_id, ip=ip)
