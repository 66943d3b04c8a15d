"""What the two-factor services answer: their result types and refusals.

Refusals are AccountErrors: `field` names the form field, `message` is for people. A wrong or
throttled password raises my_account.WrongPasswordError / TooManyAttemptsError (field "current").
"""

from __future__ import annotations

from dataclasses import dataclass

from nfp_app.services.accounts import AccountError


@dataclass(frozen=True, slots=True)
class MfaStatus:
    """A user's 2FA: on or off, a set-up waiting for its first code, recovery codes left."""

    enabled: bool
    pending: bool
    recovery_codes_left: int


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A started set-up: the secret (base32, for typing in), its otpauth URI and QR code."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class ReauthenticationRequiredError(AccountError):
    """Neither a password nor a recent enough sign-in was given."""

    field = "current"

    def __init__(self) -> None:
        super().__init__("Confirm your password first.")


class AlreadyEnabledError(AccountError):
    """2FA is on already; turn it off before setting up another app."""

    def __init__(self) -> None:
        super().__init__("Two-factor authentication is already on.")


class NotEnabledError(AccountError):
    """2FA is off (or its set-up was never started)."""

    def __init__(self) -> None:
        super().__init__("Two-factor authentication is not on for this account.")


class NoPendingEnrolmentError(AccountError):
    """A code came for a set-up that was not started (or is finished)."""

    field = "code"

    def __init__(self) -> None:
        super().__init__("Start the set-up again: there is no set-up waiting for a code.")


class WrongCodeError(AccountError):
    """The TOTP or recovery code is wrong, or was used already."""

    field = "code"

    def __init__(self) -> None:
        super().__init__("That code is not right, or was used already. Try the next one.")


class CodeThrottledError(AccountError):
    """Too many wrong codes for this account lately; nothing was checked."""

    field = "code"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many wrong codes, try again in {retry_after} s.")
        self.retry_after = retry_after
