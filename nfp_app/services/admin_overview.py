"""The console overview: headline counters and sign-ins per UTC day, from the audit trail.

Definitions (the console's labels say the same):
- a sign-in is an audited `login` event with outcome `success`; a failed sign-in one with
  outcome `failure` (a wrong password, an unknown or disabled account, an unconfirmed email).
  A `throttled` attempt is not counted as failed: it was refused before any check, and a
  guessing run would otherwise count twice (its failures, then every refused retry). Throttled
  accounts are what "locked out" counts instead.
- an account is locked out when a sign-in for its account key (`auth_event.username`, the
  typed, normalised name) was refused as `throttled` within the last
  `throttle_account_window_seconds`. This reads only the audit trail, so it means the same
  whether the throttle counters live in the database or in Redis.
- an active session is one `auth_sessions.is_live` accepts (not revoked, not expired, and
  remembered or seen within the idle limit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from nfp_app.infra.settings import get_settings
from nfp_app.models import AuthEvent, AuthSession, User, utcnow
from nfp_app.services import sign_in_days
from nfp_app.services.sign_in_days import DAY, DaySignIns, sign_ins_per_day

__all__ = ["Counters", "DaySignIns", "counters", "sign_ins_per_day"]


@dataclass(frozen=True, slots=True)
class Counters:
    """The overview's headline figures at one moment."""

    users: int
    active_sessions: int
    sign_ins_24h: int
    failed_sign_ins_24h: int
    locked_out: int


def _live_sessions(session: Session, now: dt.datetime) -> int:
    idle_since = now - dt.timedelta(minutes=get_settings().session_idle_minutes)
    statement = (
        select(func.count())
        .select_from(AuthSession)
        .where(
            col(AuthSession.revoked_at).is_(None),
            col(AuthSession.expires_at) > now,
            sa.or_(
                col(AuthSession.persistent).is_(True), col(AuthSession.last_seen_at) > idle_since
            ),
        )
    )
    return int(session.exec(statement).one())


def _locked_out(session: Session, now: dt.datetime) -> int:
    since = now - dt.timedelta(seconds=get_settings().throttle_account_window_seconds)
    keys = (
        select(col(AuthEvent.username))
        .where(*sign_in_days.login_outcomes(since, now + dt.timedelta(seconds=1), ["throttled"]))
        .distinct()
        .subquery()
    )
    return int(session.exec(select(func.count()).select_from(keys)).one())


def counters(*, session: Session, now: dt.datetime | None = None) -> Counters:
    """Users, live sessions, sign-ins and failures of the last 24 h, locked-out accounts."""
    now = now or utcnow()
    by_outcome = sign_in_days.count_outcomes(session, now - DAY, now + dt.timedelta(seconds=1))
    return Counters(
        users=int(session.exec(select(func.count()).select_from(User)).one()),
        active_sessions=_live_sessions(session, now),
        sign_ins_24h=by_outcome.get("success", 0),
        failed_sign_ins_24h=by_outcome.get("failure", 0),
        locked_out=_locked_out(session, now),
    )
