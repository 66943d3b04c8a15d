"""What passkey ceremonies answer: options for the browser, or a refusal to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Ceremony:
    """A started ceremony: the server-side handle and @simplewebauthn/browser's optionsJSON."""

    handle: str
    options: dict[str, Any]


@dataclass(frozen=True)
class Refused:
    """The ceremony failed; `message` is for the user and reveals nothing more."""

    message: str


EXPIRED = "This passkey request has expired or was already used. Please try again."
NOT_VERIFIED = "The passkey could not be verified. Please try again."
