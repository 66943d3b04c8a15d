"""The one-time code that turns a sign-in over the websocket into the HttpOnly session cookie."""

from __future__ import annotations

import datetime as dt
import functools
import hmac
from dataclasses import dataclass

from sqlmodel import Session, col, select, update

from nfp_app.models import AuthSession, User, utcnow
from nfp_app.security import tokens
from nfp_app.services import audit
from nfp_app.services.auth_sessions import is_live


@dataclass(frozen=True, slots=True)
class RedeemedHandoff:
    """The cookie secret issued for a session, and whether the cookie should outlive the browser."""

    secret: str
    persistent: bool
    max_age_seconds: int
    user_id: int
    account_key: str


@dataclass(frozen=True, slots=True)
class RefusedHandoff:
    """A code that sets no cookie: unknown, used, expired, or brought by another browser."""

    reason: str
    user_id: int | None = None
    username: str = ""


def redeem_handoff(
    *,
    session: Session,
    code: str,
    binding: str,
    cross_site: bool = False,
    ip: str = "",
    now: dt.datetime | None = None,
) -> RedeemedHandoff | RefusedHandoff:
    """Trade a one-time code for the session's cookie secret.

    A code works once, for a minute, and only in the browser that signed in: the one holding
    the binding cookie the code was issued with, on a request that no other site started.
    Any attempt burns the code; refusals go to the audit trail.
    """
    refused = _redeem(session, code, binding, cross_site, now or utcnow())
    if isinstance(refused, RefusedHandoff):
        audit.record(
            session=session,
            event="handoff",
            outcome="failure",
            user_id=refused.user_id,
            username=refused.username,
            ip=ip,
            detail=refused.reason,
        )
    return refused


def _redeem(
    session: Session, code: str, binding: str, cross_site: bool, now: dt.datetime
) -> RedeemedHandoff | RefusedHandoff:
    code_hash = tokens.digest(code)
    row = session.exec(select(AuthSession).where(AuthSession.handoff_hash == code_hash)).first()
    if row is None or row.id is None:
        return RefusedHandoff(reason="unknown or used code")
    user = session.get(User, row.user_id)
    refused = functools.partial(
        RefusedHandoff, user_id=row.user_id, username=user.username if user else ""
    )
    expired = row.handoff_expires_at is None or now >= row.handoff_expires_at
    bound_here = row.handoff_binding is not None and hmac.compare_digest(
        row.handoff_binding, tokens.digest(binding) if binding else ""
    )
    # Burn the code with a conditional UPDATE: of concurrent redemptions only one matches a row.
    claimed = session.exec(
        update(AuthSession)
        .where(col(AuthSession.id) == row.id, col(AuthSession.handoff_hash) == code_hash)
        .values(handoff_hash=None, handoff_expires_at=None, handoff_binding=None)
    )
    if claimed.rowcount != 1:
        return refused(reason="unknown or used code")
    if cross_site:
        return refused(reason="cross-site request")
    if not bound_here:
        return refused(reason="code brought by another browser")
    if expired:
        return refused(reason="expired code")
    if not is_live(row, now=now) or user is None or not user.is_active:
        return refused(reason="session already ended")
    secret = tokens.new_secret()
    row.secret_hash = tokens.digest(secret)
    row.handoff_binding = None
    max_age = int((row.expires_at - now).total_seconds())
    return RedeemedHandoff(
        secret=secret,
        persistent=row.persistent,
        max_age_seconds=max_age,
        user_id=row.user_id,
        account_key=user.username_key,
    )
