"""Signing in: throttle, check the credentials, open a session and audit it, in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlmodel import Session

from nfp_app import accounts, audit, sessions, throttle
from nfp_app.models import User, utcnow
from nfp_app.security import policy
from nfp_app.settings import Settings, get_settings

logger = logging.getLogger("nfp_app.signin")

# Throttle keys are bounded; a megabyte of username must not become a megabyte of key.
_KEY_MAX = 128


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The credentials were right: the user and their new session."""

    user: User
    started: sessions.StartedSession


@dataclass(frozen=True, slots=True)
class BadCredentials:
    """A wrong password, an unknown or disabled user: deliberately one answer."""


@dataclass(frozen=True, slots=True)
class Throttled:
    """Too many recent failures for this account or client IP; nothing was checked."""

    retry_after: int


SignInResult = SignedIn | BadCredentials | Throttled


def limits(settings: Settings) -> tuple[throttle.Limit, throttle.Limit]:
    """The account and IP limits the settings ask for."""
    return (
        throttle.Limit(
            settings.throttle_account_failures,
            dt.timedelta(seconds=settings.throttle_account_window_seconds),
        ),
        throttle.Limit(
            settings.throttle_ip_failures,
            dt.timedelta(seconds=settings.throttle_ip_window_seconds),
        ),
    )


def warn_if_unthrottled(settings: Settings) -> None:
    """Log a warning at start for every throttling limit that is switched off."""
    account_limit, ip_limit = limits(settings)
    if not account_limit.enabled:
        logger.warning("THROTTLE_ACCOUNT_FAILURES=0: failed sign-ins per account are unlimited.")
    if not ip_limit.enabled:
        logger.warning("THROTTLE_IP_FAILURES=0: failed sign-ins per client IP are unlimited.")


def _audit(
    session: Session, outcome: audit.Outcome, key: str, ip: str, user: User | None = None
) -> None:
    audit.record(
        session=session,
        event="login",
        outcome=outcome,
        user_id=user.id if user else None,
        username=user.username if user else key,
        ip=ip,
    )


def sign_in(
    *,
    session: Session,
    username: str,
    password: str,
    persistent: bool,
    user_agent: str = "",
    ip: str = "",
    now: dt.datetime | None = None,
) -> SignInResult:
    """Sign in, unless this account or IP has failed too often; unknown names count the same."""
    settings = get_settings()
    now = now or utcnow()
    account_limit, ip_limit = limits(settings)
    key = policy.normalize_username(username[: 4 * _KEY_MAX])[:_KEY_MAX]
    wait = throttle.retry_after(
        session=session,
        account_key=key,
        ip=ip,
        account_limit=account_limit,
        ip_limit=ip_limit,
        now=now,
    )
    if wait:
        # No verification at all: a throttled guess learns nothing, right or wrong.
        _audit(session, "throttled", key, ip)
        return Throttled(retry_after=wait)
    user = accounts.authenticate(session=session, username=username, password=password)
    if user is None:
        keep = max(account_limit.window, ip_limit.window)
        throttle.record_failure(session=session, account_key=key, ip=ip, keep=keep, now=now)
        _audit(session, "failure", key, ip)
        return BadCredentials()
    throttle.clear_account(session=session, account_key=key)
    started = sessions.start(
        session=session, user=user, persistent=persistent, user_agent=user_agent, ip=ip, now=now
    )
    _audit(session, "success", key, ip, user)
    return SignedIn(user=user, started=started)
