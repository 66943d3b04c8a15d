"""ASGI middleware naming the worker that served a response, when SERVED_BY_HEADER is on.

`X-Served-By: <host name>:<process id>` lets tests and operators see the load spread over
workers and machines, and find the process in `ps` and its logs. (Reflex's own instance id is
a random token per worker that only its Redis records show, so it is not used.)
"""

from __future__ import annotations

import os
import socket

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nfp_app.infra.settings import get_settings

HEADER = "X-Served-By"


def worker_name() -> str:
    """This process: host name and process id (read per call, as workers fork after import)."""
    return f"{socket.gethostname()}:{os.getpid()}"


class ServedByMiddleware:
    """Adds X-Served-By to every HTTP response, if the setting asks for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not get_settings().served_by_header:
            await self.app(scope, receive, send)
            return
        name = worker_name()

        async def send_with_name(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = name
            await send(message)

        await self.app(scope, receive, send_with_name)
