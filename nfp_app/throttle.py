"""Throttling of failed sign-ins, per account and per client IP, shared through the database.

An unknown username is counted exactly like an existing one, so throttling reveals nothing
about which accounts exist. Nothing locks for good: a key is free again once its oldest
failure inside the window has aged out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from nfp_app.models import AuthFailure, utcnow

ACCOUNT = "account"
IP = "ip"


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `failures` failures per `window`; 0 failures turns the limit off."""

    failures: int
    window: dt.timedelta

    @property
    def enabled(self) -> bool:
        """Whether this limit applies at all."""
        return self.failures > 0


def _seconds_left(session: Session, scope: str, key: str, limit: Limit, now: dt.datetime) -> int:
    if not limit.enabled or not key:
        return 0
    recent = session.exec(
        select(AuthFailure.created_at)
        .where(
            col(AuthFailure.scope) == scope,
            col(AuthFailure.key) == key,
            col(AuthFailure.created_at) > now - limit.window,
        )
        .order_by(col(AuthFailure.created_at).desc())
        .limit(limit.failures)
    ).all()
    if len(recent) < limit.failures:
        return 0
    # Free again when the oldest of the last `failures` failures leaves the window.
    free_at = recent[-1] + limit.window
    return max(1, int((free_at - now).total_seconds() + 0.999))


def retry_after(
    *,
    session: Session,
    account_key: str,
    ip: str,
    account_limit: Limit,
    ip_limit: Limit,
    now: dt.datetime | None = None,
) -> int:
    """Seconds to wait before another attempt for this account or IP; 0 means go ahead."""
    now = now or utcnow()
    return max(
        _seconds_left(session, ACCOUNT, account_key, account_limit, now),
        _seconds_left(session, IP, ip, ip_limit, now),
    )


def record_failure(
    *,
    session: Session,
    account_key: str,
    ip: str,
    keep: dt.timedelta,
    now: dt.datetime | None = None,
) -> None:
    """Count one failure against the account key and the IP, and drop counts older than `keep`."""
    now = now or utcnow()
    session.exec(delete(AuthFailure).where(col(AuthFailure.created_at) < now - keep))
    session.add(AuthFailure(scope=ACCOUNT, key=account_key[:128], created_at=now))
    if ip:
        session.add(AuthFailure(scope=IP, key=ip[:128], created_at=now))
    session.flush()


def clear_account(*, session: Session, account_key: str) -> None:
    """Forget an account's failures after a successful sign-in."""
    session.exec(
        delete(AuthFailure).where(
            col(AuthFailure.scope) == ACCOUNT, col(AuthFailure.key) == account_key
        )
    )
