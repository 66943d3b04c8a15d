"""Keep request credentials out of the state snapshots that Reflex writes to disk or Redis."""

from __future__ import annotations

from typing import Any

from reflex.istate.data import HeaderData
from reflex.state import State

# Reflex pickles the root state with the websocket handshake's headers, Cookie included, into
# `.states/*.pkl` (mode 0644) or Redis: that would put the HttpOnly session secret at rest.
CREDENTIAL_HEADERS = frozenset({"cookie", "authorization", "proxy-authorization"})
_HEADERS_KEY = "headers"


def _without_credentials(headers: Any) -> dict[str, str]:
    return {key: headers[key] for key in headers if key.lower() not in CREDENTIAL_HEADERS}


def scrub(fields: dict[str, Any]) -> dict[str, Any]:
    """A copy of a state's pickled fields without credential headers."""
    cleaned = dict(fields)
    router_data = cleaned.get("router_data")
    if isinstance(router_data, dict) and isinstance(router_data.get(_HEADERS_KEY), dict):
        headers = _without_credentials(router_data[_HEADERS_KEY])
        cleaned["router_data"] = {**router_data, _HEADERS_KEY: headers}
    header_data = cleaned.get("rx_router_headers")
    if isinstance(header_data, HeaderData):
        headers = _without_credentials(header_data.raw_headers)
        cleaned["rx_router_headers"] = HeaderData.from_router_data({_HEADERS_KEY: headers})
    return cleaned


_reflex_getstate = State.__getstate__


def _getstate(self: State) -> dict[str, Any]:
    # Each event brings its connection's headers again, so the stored copy needs no cookie.
    return scrub(_reflex_getstate(self))


def keep_credentials_out_of_snapshots() -> None:
    """Make every state pickle without the Cookie and Authorization headers (idempotent)."""
    State.__getstate__ = _getstate  # pyright: ignore[reportAttributeAccessIssue]
