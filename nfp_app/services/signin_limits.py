"""The sign-in limits: which counters one attempt is held to, and how strict each is."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from nfp_app.infra.settings import Settings
from nfp_app.security import policy
from nfp_app.services import throttle

logger = logging.getLogger("nfp_app.signin")

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
    """The throttling key of a typed username: its normalised form, bounded (a megabyte of
    username must not become a megabyte of key)."""
    cap = policy.USERNAME_INPUT_MAX
    return policy.normalize_username(username[:cap])[:cap]
