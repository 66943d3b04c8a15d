"""Checking a second-factor code: throttled per account, audited, and mailed about when a
recovery code was used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from nfp_app.infra.settings import Settings, get_settings
from nfp_app.models import User
from nfp_app.services import audit, mfa_notices, mfa_store, throttle
from nfp_app.services.signin import Throttled

# The throttling scope of second-factor codes, counted per account whatever the client.
SCOPE = "mfa"


@dataclass(frozen=True, slots=True)
class CodeAccepted:
    """The code was right and is used up now."""

    factor: mfa_store.Factor
    codes_left: int


@dataclass(frozen=True, slots=True)
class CodeRefused:
    """Wrong, already used, or older than the last accepted code."""


def limit(settings: Settings) -> throttle.Limit:
    """Wrong codes allowed per account and window: THROTTLE_ACCOUNT_FAILURES per window."""
    window = dt.timedelta(seconds=settings.throttle_account_window_seconds)
    return throttle.Limit(settings.throttle_account_failures, window)


def throttle_key(user_id: int) -> throttle.Key:
    """The counter of one account's second-factor attempts."""
    return throttle.Key(SCOPE, f"user:{user_id}", limit(get_settings()))


def verify(
    *,
    session: Session,
    user: User,
    code: str,
    step: str,
    ip: str = "",
    user_agent: str = "",
    now: dt.datetime,
) -> CodeAccepted | CodeRefused | Throttled:
    """Check a TOTP or recovery code of a user with 2FA on; `step` names what it is for."""
    assert user.id is not None

    def _audit(outcome: audit.Outcome, detail: str) -> None:
        audit.record(
            session=session,
            event="mfa_verify",
            outcome=outcome,
            user_id=user.id,
            username=user.username,
            ip=ip,
            user_agent=user_agent,
            detail=f"{step}: {detail}",
        )

    key = throttle_key(user.id)
    reserved = throttle.reserve(
        session=session, keys=[key], keep=get_settings().throttle_retention, now=now
    )
    if isinstance(reserved, throttle.Refused):
        _audit("throttled", "too many wrong codes")
        session.commit()
        return Throttled(retry_after=reserved.retry_after)
    # Concurrent attempts must see this one counted before the check.
    session.commit()
    factor = mfa_store.use_code(session, user.id, code, now=now)
    if factor is None:
        _audit("failure", "code refused")
        # Callers may raise on a refusal, rolling back: the audit entry must stay.
        session.commit()
        return CodeRefused()
    throttle.release(session=session, reservation=reserved)
    left = mfa_store.codes_left(session, user.id)
    if factor == "recovery_code":
        _audit("success", f"recovery code used, {left} left")
        mfa_notices.recovery_code_used(
            session=session, user=user, codes_left=left, ip=ip, user_agent=user_agent, now=now
        )
    else:
        _audit("success", "authenticator code accepted")
    return CodeAccepted(factor=factor, codes_left=left)
