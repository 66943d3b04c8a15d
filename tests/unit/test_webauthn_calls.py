"""The passkey ceremonies' browser calls: the pinned npm import, the settled promise."""

from __future__ import annotations

from typing import Any

import pytest
import reflex as rx

from nfp_app.components import webauthn_calls
from nfp_app.state.ceremony_results import UNSUPPORTED, ceremony_error, error_message


class _Ceremony(rx.State):
    options: dict[str, Any] = {}  # noqa: RUF012  (Reflex copies state defaults per client)

    @rx.event
    def done(self, result: Any):
        """The callback."""
        del result


def _function(event: rx.event.EventSpec) -> rx.Var:
    """The function an rx.call_function event calls (its first argument)."""
    return event.args[0][1]


def test_authentication_is_imported_pinned_and_always_settles() -> None:
    """startAuthentication comes from the pinned package; a rejection becomes {error: name}."""
    event = webauthn_calls.start_authentication(_Ceremony.options, _Ceremony.done, autofill=True)
    function = _function(event)
    code = str(function)
    assert code.startswith("(() => ((startAuthentication(")
    assert '["useBrowserAutofill"] : true' in code
    assert '?.["catch"](((error) => ({ ["error"] : error?.["name"] })))' in code
    data = function._get_all_var_data()
    assert data is not None
    imports = dict(data.imports)
    assert [tag.tag for tag in imports["@simplewebauthn/browser@14.0.0"]] == ["startAuthentication"]
    assert "done" in str(event.args[1][1])  # the callback


def test_registration_and_support_check() -> None:
    assert "startRegistration(" in str(_function(webauthn_calls.start_registration({}, None)))
    assert "browserSupportsWebAuthn()" in str(_function(webauthn_calls.check_support(None)))
    assert "WebAuthnAbortService.cancelCeremony()" in str(
        _function(webauthn_calls.cancel_pending())
    )


@pytest.mark.parametrize(
    ("result", "error"),
    [
        ({"id": "abc", "response": {}}, None),
        ({"error": "NotAllowedError"}, "NotAllowedError"),
        ({"error": ""}, "Error"),
        ({"error": 5}, "Error"),
        (None, "Error"),
        ("text", "Error"),
    ],
)
def test_ceremony_error(result: object, error: str | None) -> None:
    assert ceremony_error(result) == error


def test_messages() -> None:
    assert "cancelled" in error_message("NotAllowedError")
    assert "cancelled" in error_message("AbortError")
    assert "already registered" in error_message("InvalidStateError")
    assert error_message("TypeError") == "Your browser could not complete the passkey request."
    assert "does not support passkeys" in UNSUPPORTED
