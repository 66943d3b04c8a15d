"""Signing in: count the attempt, check the credentials, open a session and audit it."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlmodel import Session

from nfp_app import accounts, audit, sessions, throttle
from nfp_app.models import User, utcnow
from nfp_app.security import policy
from nfp_app.security.device import device_id
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
    """Too many recent failures for this account, client or IP; nothing was checked."""

    retry_after: int


SignInResult = SignedIn | BadCredentials | Throttled

IP = "ip"
CLIENT = "client"
ACCOUNT = "account"


@dataclass(frozen=True, slots=True)
class Limits:
    """The sign-in limits the settings ask for."""

    client: throttle.Limit
    account: throttle.Limit
    ip: throttle.Limit

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """Read the THROTTLE_* settings."""
        window = dt.timedelta(seconds=settings.throttle_account_window_seconds)
        return cls(
            client=throttle.Limit(settings.throttle_account_failures, window),
            account=throttle.Limit(
                settings.throttle_account_total_failures,
                window,
                max_delay=dt.timedelta(seconds=settings.throttle_max_delay_seconds),
            ),
            ip=throttle.Limit(
                settings.throttle_ip_failures,
                dt.timedelta(seconds=settings.throttle_ip_window_seconds),
            ),
        )


def warn_if_unthrottled(settings: Settings) -> None:
    """Log a warning at start for every throttling limit that is switched off."""
    limits = Limits.from_settings(settings)
    if not limits.client.enabled:
        logger.warning("THROTTLE_ACCOUNT_FAILURES=0: failed sign-ins per account are unlimited.")
    if not limits.account.enabled:
        logger.warning(
            "THROTTLE_ACCOUNT_TOTAL_FAILURES=0: failures for one account from many clients "
            "are unlimited."
        )
    if not limits.ip.enabled:
        logger.warning("THROTTLE_IP_FAILURES=0: failed sign-ins per client IP are unlimited.")


def throttle_keys(
    limits: Limits, *, account_key: str, ip: str, device: str | None
) -> list[throttle.Key]:
    """The counters one attempt is held to.

    A browser that signed in to this account before (a valid device cookie) is counted on its
    own, so nobody else's failures slow it down. Everyone else is counted per account and IP,
    per IP across accounts, and per account across all of them, where the cap leads to growing
    delays rather than a wall.
    """
    if device is not None:
        return [throttle.Key(CLIENT, f"{account_key}|device:{device}", limits.client)]
    return [
        throttle.Key(CLIENT, f"{account_key}|ip:{ip}", limits.client),
        throttle.Key(ACCOUNT, account_key, limits.account),
        throttle.Key(IP, ip, limits.ip),
    ]


def account_key_for(username: str) -> str:
    """The throttling key of a typed username: its normalised form, bounded."""
    return policy.normalize_username(username[: 4 * _KEY_MAX])[:_KEY_MAX]


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
    binding: str = "",
    device_token: str = "",
    now: dt.datetime | None = None,
) -> SignInResult:
    """Sign in, unless this account, client or IP has failed too often.

    The attempt is counted before the password check and un-counted if it succeeds, so
    concurrent guesses get at most the limit checked. Unknown names count the same.
    """
    settings = get_settings()
    now = now or utcnow()
    limits = Limits.from_settings(settings)
    key = account_key_for(username)
    device = device_id(device_token, account_key=key, secret_key=settings.secret_key, now=now)
    keys = throttle_keys(limits, account_key=key, ip=ip, device=device)
    reserved = throttle.reserve(
        session=session, keys=keys, keep=settings.throttle_retention, now=now
    )
    if isinstance(reserved, throttle.Refused):
        # No verification at all: a throttled guess learns nothing, right or wrong.
        _audit(session, "throttled", key, ip)
        return Throttled(retry_after=reserved.retry_after)
    # Concurrent attempts must see this one counted before the slow check starts.
    session.commit()
    user = accounts.authenticate(session=session, username=username, password=password)
    if user is None:
        _audit(session, "failure", key, ip)
        return BadCredentials()
    throttle.release(session=session, reservation=reserved)
    # The client proved itself: its own earlier failures no longer count against it.
    throttle.clear(session=session, key=keys[0])
    started = sessions.start(
        session=session,
        user=user,
        persistent=persistent,
        user_agent=user_agent,
        ip=ip,
        binding=binding,
        now=now,
    )
    _audit(session, "success", key, ip, user)
    return SignedIn(user=user, started=started)
