"""Many Reflex tabs in one asyncio process: Socket.IO over wsproto, signed in or bare.

python-socketio's AsyncClient needs aiohttp, and a thread per tab would not hold 1,000 tabs.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

import engineio.packet
import httpx
import reflex as rx
import socketio.packet
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)
from wsproto.utilities import LocalProtocolError

from nfp_app.state.admin_overview import AdminOverviewState
from nfp_app.state.auth import AuthState
from nfp_app.state.login import LoginState

PASSWORD = "bench-password-123"  # noqa: S105  (throwaway accounts on a throwaway cluster)
NAMESPACE = "/_event"
BINDING_COOKIE = "nfp_session_bind"
# The bare app's state, as Reflex names it (module bare_app.bare_app, class BareState).
BARE_STATE = f"{rx.State.get_full_name()}.bare_app___bare_app____bare_state"
TAB_SECONDS = 120.0


def _wire(state: type[rx.State], name: str) -> str:
    return f"{state.get_full_name()}.{name}"


class TabClosedError(RuntimeError):
    """The server refused or closed a tab's connection."""


class Tab:
    """One browser tab without a browser: a websocket (wsproto on asyncio) carrying Engine.IO
    and Socket.IO packets (python-socketio's own codec) in Reflex's event protocol.

    python-socketio's AsyncClient needs aiohttp, which is not installed; one asyncio
    connection per tab holds 1,000 tabs in one process without 2,000 threads.
    """

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.joined = False
        self.closed: str = ""
        self._changed = asyncio.Event()
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None

    async def open(self, base_url: str, *, cookie: str = "") -> None:
        """Connect to Reflex's namespace with a new client token, as a new tab does."""
        parts = urlsplit(base_url)
        host, port = parts.hostname or "localhost", parts.port or 80
        reader, self._writer = await asyncio.open_connection(host, port)
        headers = [(b"origin", base_url.encode())]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        target = f"/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}"
        self._raw(
            self._ws.send(Request(host=f"{host}:{port}", target=target, extra_headers=headers))
        )
        self._task = asyncio.create_task(self._read(reader))
        await self.wait(lambda: self.joined, "the namespace connection")

    def _raw(self, data: bytes) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    def _text(self, text: str) -> None:
        self._raw(self._ws.send(Message(data=text)))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        pieces: list[str] = []
        try:
            while not self.closed:
                data = await reader.read(65536)
                self._ws.receive_data(data or None)
                if not data:
                    self.closed = self.closed or "the server closed the connection"
                for event in self._ws.events():
                    if isinstance(event, AcceptConnection):
                        pass
                    elif isinstance(event, RejectConnection):
                        self.closed = f"handshake refused with {event.status_code}"
                    elif isinstance(event, TextMessage):
                        pieces.append(event.data)
                        if event.message_finished:
                            self._packet("".join(pieces))
                            pieces = []
                    elif isinstance(event, Ping):
                        self._raw(self._ws.send(event.response()))
                    elif isinstance(event, CloseConnection):
                        self.closed = f"closed by the server ({event.code})"
                self._changed.set()
        except (OSError, RuntimeError) as error:
            self.closed = self.closed or repr(error)
        finally:
            self._changed.set()

    def _packet(self, text: str) -> None:
        kind = text[:1]
        if kind == str(engineio.packet.PING):
            self._text(engineio.packet.Packet(engineio.packet.PONG).encode())  # type: ignore[arg-type]
        elif kind == str(engineio.packet.MESSAGE):
            packet = socketio.packet.Packet(encoded_packet=text[1:])
            if packet.packet_type == socketio.packet.CONNECT:
                self.joined = True
            elif packet.packet_type == socketio.packet.EVENT and isinstance(packet.data, list):
                if len(packet.data) > 1 and isinstance(packet.data[1], dict):
                    self.messages.append(packet.data[1])
            elif packet.packet_type in (socketio.packet.DISCONNECT, socketio.packet.CONNECT_ERROR):
                self.closed = f"namespace refused: {packet.data}"
        elif kind == str(engineio.packet.OPEN):
            self._text(
                self._encode(socketio.packet.Packet(socketio.packet.CONNECT, namespace=NAMESPACE))
            )
        elif kind == str(engineio.packet.CLOSE):
            self.closed = "Engine.IO close"

    @staticmethod
    def _encode(packet: socketio.packet.Packet) -> str:
        encoded = packet.encode()
        assert isinstance(encoded, str)
        return str(engineio.packet.Packet(engineio.packet.MESSAGE, data=encoded).encode())

    def emit(self, name: str, payload: dict[str, Any] | None = None, *, path: str) -> None:
        """Send one event as the frontend does, from the page at `path`."""
        body = {
            "name": name,
            "payload": payload or {},
            "router_data": {"pathname": path, "query": {}, "asPath": path},
        }
        packet = socketio.packet.Packet(
            socketio.packet.EVENT, data=["event", body], namespace=NAMESPACE
        )
        self._text(self._encode(packet))

    async def wait(self, done: Callable[[], bool], what: str, limit: float = TAB_SECONDS) -> None:
        """Wait until `done()` holds; raise if the connection closes or time runs out."""
        deadline = time.monotonic() + limit
        while True:
            self._changed.clear()
            if done():
                return
            if self.closed:
                raise TabClosedError(f"{what}: {self.closed}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TabClosedError(f"{what}: no answer within {limit:.0f} s")
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                continue

    def values(self, var: str, since: int = 0) -> list[Any]:
        """Every value a delta gave `var` (named without Reflex's suffix), from reply `since`."""
        key = f"{var}_rx_state_"
        return [
            values[key]
            for message in self.messages[since:]
            for values in message.get("delta", {}).values()
            if isinstance(values, dict) and key in values
        ]

    def redirects(self, since: int = 0) -> list[str]:
        """The paths the server sent this tab to, from reply `since`."""
        return [
            event["payload"]["path"]
            for message in self.messages[since:]
            for event in message.get("events", [])
            if event.get("name") == "_redirect"
        ]

    async def close(self) -> None:
        """Close the tab: a websocket close, then the TCP connection."""
        if self._writer is None:
            return
        if not self.closed:
            self.closed = "closed by the client"
            # The handshake may not have finished: the socket closes anyway.
            with suppress(LocalProtocolError):
                self._raw(self._ws.send(CloseConnection(code=1000)))
        self._writer.close()
        with suppress(OSError, TimeoutError):
            await asyncio.wait_for(self._writer.wait_closed(), 5)
        if self._task is not None:
            self._task.cancel()


async def binding_cookie(transport: httpx.AsyncHTTPTransport, base_url: str) -> str:
    """A fresh binding cookie, as the page load gives a new browser (no cookie jar)."""
    response = await transport.handle_async_request(httpx.Request("GET", f"{base_url}/auth/bind"))
    await response.aread()
    for header in response.headers.get_list("set-cookie"):
        pair = header.split(";", 1)[0]
        if pair.startswith(f"{BINDING_COOKIE}="):
            return pair
    raise TabClosedError(f"no binding cookie from /auth/bind ({response.status_code})")


async def signed_in_tab(base_url: str, username: str, transport: httpx.AsyncHTTPTransport) -> Tab:
    """A tab that loaded /login, signed in through the form and opened /admin.

    The last events are authenticated ones that check the session held in the tab's state;
    the tab counts only if their replies say it is signed in.
    """
    tab = Tab()
    await tab.open(base_url, cookie=await binding_cookie(transport, base_url))
    tab.emit(_wire(rx.State, "hydrate"), path="/login")
    form = {"username": username, "password": PASSWORD}
    tab.emit(_wire(LoginState, "submit"), {"form_data": form}, path="/login")
    await tab.wait(lambda: any(tab.values("handoff_url")), "the sign-in")
    # The beacon's cookie is not needed here: the tab's state already holds the session.
    tab.emit(_wire(AuthState, "finish_handoff"), path="/login")
    await tab.wait(lambda: "/admin" in tab.redirects(), "the redirect to /admin")
    # The browser fires /admin's on_load, which checks the session (a plain user stays put,
    # anyone else is sent to /login).
    since = len(tab.messages)
    tab.emit(_wire(AdminOverviewState, "open_page"), path="/admin")
    # An authenticated event with a visible answer: `/` sends a signed-in tab to /admin and
    # anyone else to /login, after checking the session the tab's state holds.
    tab.emit(_wire(AuthState, "route_home"), path="/admin")
    await tab.wait(lambda: bool(tab.redirects(since)), "the authenticated events")
    if tab.redirects(since) != ["/admin"]:
        raise TabClosedError(f"{username} is not signed in: {tab.redirects(since)}")
    return tab


async def bare_tab(base_url: str, _username: str, _transport: httpx.AsyncHTTPTransport) -> Tab:
    """A tab of the bare app that hydrated and clicked once, so its state exists in Redis."""
    tab = Tab()
    await tab.open(base_url)
    tab.emit(_wire(rx.State, "hydrate"), path="/")
    tab.emit(BARE_STATE + ".click", path="/")
    await tab.wait(lambda: 1 in tab.values("clicks"), "the click")
    return tab


OpenTab = Callable[[str, str, httpx.AsyncHTTPTransport], Awaitable[Tab]]


# --- processes and memory ---------------------------------------------------------------
