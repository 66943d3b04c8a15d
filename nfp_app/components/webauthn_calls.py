"""The browser half of a passkey ceremony: @simplewebauthn/browser, called through Reflex Vars.

No JavaScript is written by hand: each call below is a Reflex Var built from the npm
package's exported functions (imported, pinned, into the page module that renders the
event), and handed to `rx.call_function` with a Python callback handler.

Why it looks like this (checked in Reflex 0.10's reflex_base/event and .web/utils/state.js):
- `rx.call_function` with a *function Var* is called in the page module's scope, where the
  npm import is visible; its promise is awaited and the result passed to the callback. A
  call_function *returned by a backend handler* is eval'd in state.js's scope instead, where
  the import is not, so these events must be frontend-defined: put them in a component's
  on_click / on_mount / on_submit chain. They read the ceremony options from a public state
  var that a backend handler filled beforehand (render-time values are what the event sees).
- A rejected promise (the user cancels: NotAllowedError; a conditional request aborted by
  the button: AbortError) would go to window.onerror and never reach the callback. Each
  call is therefore settled with `.catch(error => ({error: error.name}))`, composed with the
  Var API, so the callback always receives the credential JSON or `{"error": name}`;
  nfp_app/state/ceremony_results.py tells them apart in Python.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.reflex_compat import (
    ArgsFunctionOperation,
    FunctionStringVar,
    FunctionVar,
    ImportVar,
    LiteralVar,
    ObjectVar,
    VarData,
)

# Pinned: Reflex installs "name@version" imports at that version (reflex/app.py).
LIBRARY = "@simplewebauthn/browser@14.0.0"


def _library_function(name: str) -> FunctionVar:
    """An exported function of the npm package, imported into the page that uses it."""
    return FunctionStringVar.create(
        name, _var_data=VarData(imports={LIBRARY: [ImportVar(tag=name)]})
    )


def _settled(promise: rx.Var) -> rx.Var:
    """The promise, with a rejection turned into `{error: <the error's name>}`."""
    error = rx.Var("error").to(ObjectVar)
    on_error = ArgsFunctionOperation.create(["error"], LiteralVar.create({"error": error.name}))
    return promise.to(ObjectVar).catch.to(FunctionVar).call(on_error)


def _ceremony(function: str, options: dict[str, Any]) -> ArgsFunctionOperation:
    """`() => function(options).catch(...)`: what rx.call_function calls on the page."""
    call = _library_function(function).call(LiteralVar.create(options))
    return ArgsFunctionOperation.create((), _settled(call))


def start_registration(options: rx.Var | Any, callback: Any) -> rx.event.EventSpec:
    """Create a passkey with the server's creation options; the callback gets the result."""
    return rx.call_function(
        _ceremony("startRegistration", {"optionsJSON": options}), callback=callback
    )


def start_authentication(
    options: rx.Var | Any, callback: Any, *, autofill: bool = False
) -> rx.event.EventSpec:
    """Sign with a passkey; with `autofill`, a conditional request offered in the username field.

    The conditional request needs the input with autocomplete="username webauthn" in the DOM
    already: run it from on_mount of an element rendered after that input.
    """
    return rx.call_function(
        _ceremony("startAuthentication", {"optionsJSON": options, "useBrowserAutofill": autofill}),
        callback=callback,
    )


def check_support(callback: Any) -> rx.event.EventSpec:
    """Whether the browser has WebAuthn (browserSupportsWebAuthn); the callback gets a bool."""
    return rx.call_function(
        ArgsFunctionOperation.create((), _library_function("browserSupportsWebAuthn").call()),
        callback=callback,
    )


def cancel_pending() -> rx.event.EventSpec:
    """Abort the page's pending request (WebAuthnAbortService.cancelCeremony), e.g. autofill's.

    A conditional request outlives its input otherwise: after the password step the page
    moves on, and the request would still answer a later touch of the authenticator.
    """
    service = FunctionStringVar.create(
        "WebAuthnAbortService.cancelCeremony",
        _var_data=VarData(imports={LIBRARY: [ImportVar(tag="WebAuthnAbortService")]}),
    )
    return rx.call_function(ArgsFunctionOperation.create((), service.call()))
