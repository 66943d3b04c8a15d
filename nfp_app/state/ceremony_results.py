"""What a settled browser ceremony (components/webauthn_calls.py) gave: credential or error."""

from __future__ import annotations

from typing import Any

# The error names the browser gives when the user cancels or the request times out.
CANCELLED = frozenset({"NotAllowedError", "AbortError"})


def ceremony_error(result: Any) -> str | None:
    """The error name a settled ceremony gave, or None when it returned a credential."""
    if isinstance(result, dict) and "error" in result:
        error = result.get("error")
        return error if isinstance(error, str) and error else "Error"
    return None if isinstance(result, dict) else "Error"


def error_message(name: str) -> str:
    """What the page says after a ceremony failed in the browser."""
    if name in CANCELLED:
        return "The passkey request was cancelled or timed out. Try again when you are ready."
    if name == "InvalidStateError":
        return "This passkey is already registered on this device."
    if name == "SecurityError":
        return "Passkeys are not available on this address."
    return "Your browser could not complete the passkey request."


# Shown by the pages when browserSupportsWebAuthn says no.
UNSUPPORTED = "This browser does not support passkeys. Use your password instead."
