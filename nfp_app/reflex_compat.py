"""Where nfp_app depends on how Reflex 0.10 works inside, beyond its documented API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

import reflex as rx
from starlette.types import ASGIApp


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
