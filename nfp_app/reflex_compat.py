"""Every place nfp_app relies on how Reflex 0.10.1 works inside, beyond its public API.

tests/unit/test_reflex_compat.py fails loudly when the Reflex version changes: then check each
workaround below against the new source before raising the pin.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import reflex as rx
from reflex.app import default_backend_exception_handler
from reflex.istate.data import HeaderData
from reflex.state import State
from reflex.utils import prerequisites
from reflex.vars import LiteralVar as LiteralVar
from reflex.vars import VarData as VarData
from reflex_base.components.component import field
from reflex_base.event import EventHandler, no_args_event_spec, noop
from reflex_base.event.context import EventContext
from reflex_base.utils import log as reflex_log
from reflex_base.utils.imports import ImportVar as ImportVar
from reflex_base.vars.function import ArgsFunctionOperation as ArgsFunctionOperation
from reflex_base.vars.function import FunctionStringVar as FunctionStringVar
from reflex_base.vars.function import FunctionVar as FunctionVar
from reflex_base.vars.object import ObjectVar as ObjectVar
from reflex_components_core.base.error_boundary import ErrorBoundary
from reflex_components_core.el.elements.base import BaseHTML
from reflex_components_core.el.elements.media import Img
from reflex_components_radix.themes.base import LiteralAccentColor
from starlette.types import ASGIApp

# The colour names Radix themes accept (badges, buttons): a type Reflex does not re-export.
AccentColor = LiteralAccentColor

# Re-exported above for components/webauthn_calls.py: the Var classes that compose a call of an
# npm package's function (and its `.catch`) for rx.call_function; `reflex` does not export them.

# The version every workaround here was checked against.
CHECKED_REFLEX_VERSION = "0.10.1"


class AppWithOuterMiddleware(rx.App):
    """An rx.App whose whole ASGI stack is wrapped in the given middleware, outermost last.

    `api_transformer` middleware sits inside Reflex's top-level Starlette app, which mounts it
    at "": a path with a newline fails that mount's pattern and gets Reflex's plain-text 404
    without passing through any of our code. Granian builds the server app by calling the app
    object (a factory), so wrapping the result here covers every request.
    """

    outer_middleware: ClassVar[Sequence[Callable[[ASGIApp], ASGIApp]]] = ()

    def __call__(self) -> ASGIApp:
        """The ASGI app Reflex builds, inside our middleware."""
        asgi_app = super().__call__()
        for middleware in self.outer_middleware:
            asgi_app = middleware(asgi_app)
        return asgi_app


# Reflex wraps the whole app in its error boundary under this key of App.app_wraps.
ERROR_BOUNDARY_WRAP = (55, "ErrorBoundary")


def use_error_fallback(app: rx.App, fallback: Callable[[], rx.Component]) -> None:
    """Show `fallback` instead of Reflex's default error screen (which prints the stack).

    The boundary still reports the error to the backend, as Reflex's default does.
    """

    def boundary(stateful: bool) -> rx.Component:
        render = rx.Var.create(fallback())
        if stateful:
            return ErrorBoundary.create(fallback_render=render)
        # Without a state there is no backend handler to report to (Reflex does the same).
        return ErrorBoundary.create(fallback_render=render, on_error=noop())

    app.app_wraps[ERROR_BOUNDARY_WRAP] = boundary


class BeaconImage(Img):
    """An <img> that reports when its request has finished, either way.

    Reflex's Img declares no load or error triggers.
    """

    on_load: EventHandler[no_args_event_spec]
    on_error: EventHandler[no_args_event_spec]


class NativeForm(BaseHTML):
    """A plain <form> that the browser submits itself.

    Reflex's own form always adds a handler that prevents the browser's submission. Used where
    a full-page POST is the point: the backend route sets or clears an HttpOnly cookie and
    checks the request's Origin, which a websocket event cannot do.
    """

    tag = "form"

    action: rx.Var[str] = field(doc="URL the browser posts the form to")
    method: rx.Var[str] = field(doc="HTTP method of the submission")


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


def current_event_ids(header: str) -> tuple[str, str] | None:
    """The txid of the Reflex event handled in this context, and one header of its websocket
    handshake (lower-case name); None outside an event.

    Reflex 0.10 runs each event in a task of its event processor, with an EventContext in a
    contextvar; its router_data holds the handshake's headers, copied from the ASGI scope.
    """
    try:
        context = EventContext.get()
    except LookupError:
        return None
    headers = context.router_data.get("headers")
    value = headers.get(header, "") if isinstance(headers, dict) else ""
    return context.txid, str(value)


def reflex_exception_event(exception: Exception) -> rx.event.EventSpec:
    """What Reflex itself sends the browser for an event's exception (its default handler)."""
    return default_backend_exception_handler(exception)


def use_json_for_reflex_logs() -> bool:
    """Make Reflex's own log records in this worker JSON; False when they already were."""
    if reflex_log.is_json_mode():
        return False
    reflex_log.set_json_mode(True)
    return True


def reflex_uses_redis() -> bool:
    """Whether Reflex keeps its state in Redis (its config has a redis_url)."""
    return prerequisites.check_redis_used()


async def reflex_redis_is_up() -> bool:
    """Reflex's own /_health check of Redis: its long-lived client, pinged."""
    status = await prerequisites.get_redis_status()
    return bool(status.get("redis"))
