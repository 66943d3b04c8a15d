"""What a sign-in answers: signed in, refused, throttled, unverified, or a second step to do."""

from __future__ import annotations

from dataclasses import dataclass

from nfp_app.models import User
from nfp_app.services.auth_sessions import BrowserSession


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The credentials were right: the user and their new session."""

    user: User
    started: BrowserSession


@dataclass(frozen=True, slots=True)
class BadCredentials:
    """A wrong password, an unknown or disabled user: deliberately one answer."""


@dataclass(frozen=True, slots=True)
class Throttled:
    """Too many recent failures for this account, client or IP; nothing was checked."""

    retry_after: int


@dataclass(frozen=True, slots=True)
class Unverified:
    """The password was right, but the account's email is not confirmed yet."""


@dataclass(frozen=True, slots=True)
class SecondFactorRequired:
    """The password was right, the account has 2FA: no session until mfa_signin redeems this."""

    challenge: str


SignInResult = SignedIn | BadCredentials | Throttled | Unverified | SecondFactorRequired
