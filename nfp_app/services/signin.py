"""Signing in: count the attempt, check the credentials, audit it, open a browser session."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.models import User, utcnow
from nfp_app.security.device import device_id
from nfp_app.services import (
    accounts,
    audit,
    auth_sessions,
    mfa_challenges,
    mfa_store,
    notices,
    signin_limits,
    throttle,
)
from nfp_app.services.signin_limits import account_key_for
from nfp_app.services.signin_results import (
    BadCredentials,
    SecondFactorRequired,
    SignedIn,
    SignInResult,
    Throttled,
    Unverified,
)

__all__ = [
    "BadCredentials",
    "SecondFactorRequired",
    "SignInResult",
    "SignedIn",
    "Throttled",
    "Unverified",
    "account_key_for",
    "attempt",
    "open_browser_session",
    "sign_in",
]


def _audit(
    session: Session,
    outcome: audit.Outcome,
    key: str,
    ip: str,
    user_agent: str,
    user: User | None = None,
    *,
    detail: str = "",
) -> None:
    audit.record(
        session=session,
        event="login",
        outcome=outcome,
        user_id=user.id if user else None,
        # A failure names the typed account key: the owner's own history finds it by that.
        username=user.username if user else key,
        ip=ip,
        user_agent=user_agent,
        detail=detail,
    )


def attempt(
    *,
    session: Session,
    username: str,
    password: str,
    ip: str = "",
    user_agent: str = "",
    device_token: str = "",
    now: dt.datetime | None = None,
) -> User | BadCredentials | Throttled | Unverified:
    """Check credentials, unless this account, client or IP has failed too often; audited.

    The attempt is counted before the password check and un-counted if it succeeds, so
    concurrent guesses get at most the limit checked. Unknown names count the same.
    """
    settings = get_settings()
    now = now or utcnow()
    key = account_key_for(username)
    device = device_id(device_token, account_key=key, secret_key=settings.secret_key, now=now)
    keys = signin_limits.throttle_keys(
        signin_limits.Limits.from_settings(settings), account_key=key, ip=ip, device=device
    )
    reserved = throttle.reserve(
        session=session, keys=keys, keep=settings.throttle_retention, now=now
    )
    if isinstance(reserved, throttle.Refused):
        # No verification at all: a throttled guess learns nothing, right or wrong.
        _audit(session, "throttled", key, ip, user_agent)
        return Throttled(retry_after=reserved.retry_after)
    # Concurrent attempts must see this one counted before the slow check starts.
    session.commit()
    user = accounts.authenticate(session=session, username=username, password=password)
    if user is None:
        _audit(session, "failure", key, ip, user_agent)
        return BadCredentials()
    throttle.release(session=session, reservation=reserved)
    # The client proved itself: its own earlier failures no longer count against it, as a
    # consecutive-failure counter resets on success.
    throttle.clear(session=session, key=keys[0])
    if accounts.needs_verification(user):
        _audit(session, "failure", key, ip, user_agent, user, detail="email not verified")
        return Unverified()
    _audit(session, "success", key, ip, user_agent, user)
    return user


def sign_in(
    *,
    session: Session,
    username: str,
    password: str,
    persistent: bool,
    binding: str,
    user_agent: str = "",
    ip: str = "",
    device_token: str = "",
    now: dt.datetime | None = None,
) -> SignInResult:
    """Sign in on the login page: `attempt`, then a session bound to this browser."""
    now = now or utcnow()
    outcome = attempt(
        session=session,
        username=username,
        password=password,
        ip=ip,
        user_agent=user_agent,
        device_token=device_token,
        now=now,
    )
    if not isinstance(outcome, User):
        return outcome
    if mfa_store.is_enabled(session, outcome):
        challenge = mfa_challenges.issue(
            session=session,
            user=outcome,
            channel="browser",
            persistent=persistent,
            now=now,
            ip=ip,
            user_agent=user_agent,
        )
        return SecondFactorRequired(challenge=challenge)
    return open_browser_session(
        session=session,
        user=outcome,
        persistent=persistent,
        binding=binding,
        user_agent=user_agent,
        ip=ip,
        device_token=device_token,
        now=now,
    )


def open_browser_session(
    *,
    session: Session,
    user: User,
    persistent: bool,
    binding: str,
    user_agent: str,
    ip: str,
    device_token: str,
    now: dt.datetime,
) -> SignedIn:
    """The user proved who they are: tell them about a new device, open the session."""
    key = account_key_for(user.username)
    secret_key = get_settings().secret_key
    if device_id(device_token, account_key=key, secret_key=secret_key, now=now) is None:
        # No device cookie for this account: a browser that never signed in to it.
        notices.new_device(session=session, user=user, ip=ip, user_agent=user_agent, now=now)
    started = auth_sessions.start_browser_session(
        session=session,
        user=user,
        persistent=persistent,
        binding=binding,
        user_agent=user_agent,
        ip=ip,
        now=now,
    )
    return SignedIn(user=user, started=started)
