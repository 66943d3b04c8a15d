"""A raw Socket.IO client for the live app's Reflex websocket, as a script would use it."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urljoin

import httpx
import reflex as rx
import socketio
from reflex.state import BaseState

from nfp_app.state.auth import AuthState
from nfp_app.state.login import LoginState
from tests.support.live_app import LiveApp

NAMESPACE = "/_event"
COOKIE_NAME = "nfp_session"
BINDING_COOKIE = "nfp_session_bind"
# Replies that name nothing of the server's insides; the generic prod toast is fine.
INTERNALS = ("Traceback", "sqlalchemy", "psycopg2", "SELECT ", 'File "')


def handler(state: type[BaseState], name: str) -> str:
    """The wire name of an event handler."""
    return f"{state.get_full_name()}.{name}"


class ReflexSocket:
    """One connected tab without a browser: emit events, collect every reply."""

    def __init__(self, app: LiveApp, token: str, cookie: str, *, bind: bool = True) -> None:
        self.app = app
        self.token = token
        # A browser has its binding cookie from the page it loaded before the socket connected.
        self.binding = binding_cookie(app) if bind else ""
        cookie = "; ".join(part for part in (self.binding, cookie) if part)
        self.messages: list[Any] = []
        self._path = "/admin"
        self._lock = threading.Lock()
        # Waiters sleep on this until a reply arrives, instead of polling the whole list.
        self._arrived = threading.Condition(self._lock)
        self._client = socketio.Client(reconnection=False)
        self._client.on("*", self._received, namespace=NAMESPACE)
        # websocket-client sends the Origin of the URL itself, which is the app's own origin.
        self._client.connect(
            f"{app.base_url}?token={token}",
            headers={"Cookie": cookie} if cookie else {},
            transports=["websocket"],
            namespaces=[NAMESPACE],
            socketio_path="/_event",
            wait_timeout=10,
        )

    def _received(self, event: str, data: Any = None) -> None:
        with self._arrived:
            self.messages.append([event, data])
            self._arrived.notify_all()

    @property
    def connected(self) -> bool:
        """Whether the server still holds this connection open."""
        return self._client.connected

    def send(self, name: str, payload: Any = None, *, path: str = "/admin") -> None:
        """Emit one event as the frontend does, on the given page."""
        self._path = path
        router_data = {"pathname": path, "query": {}, "asPath": path}
        body = {"name": name, "payload": {} if payload is None else payload}
        self.send_raw({**body, "router_data": router_data})

    def send_raw(self, data: Any) -> None:
        """Emit anything at all as an "event" message."""
        self._client.emit("event", data, namespace=NAMESPACE)

    def sync(self, limit: float = 30.0) -> bool:
        """Wait until the server has handled every event sent so far; False if it closed the
        connection instead (as it does after an oversized message).

        A tab's events are handled one at a time, in order. So this sends two last events of
        its own, which set Reflex's `is_hydrated` off and on again, and waits for the reply to
        the second: everything sent before it has been handled by then.
        """
        since = len(self.messages)
        setvar = handler(rx.State, "setvar")
        if not self.connected:
            return False
        self.send(setvar, {"var_name": "is_hydrated", "value": False}, path=self._path)
        self.send(setvar, {"var_name": "is_hydrated", "value": True}, path=self._path)
        try:
            self.wait_delta("is_hydrated", since=since, limit=limit, accept=lambda v: v is True)
        except ConnectionError:
            return False
        except TimeoutError:
            raise AssertionError(f"the server did not catch up within {limit} s") from None
        return True

    def wait_delta(
        self,
        var: str,
        *,
        since: int,
        limit: float = 30.0,
        accept: Callable[[Any], bool] = bool,
    ) -> Any:
        """The first accepted value a delta gives the var from the `since`-th reply on, as soon
        as it arrives; TimeoutError after `limit` s, ConnectionError if the server hangs up."""
        key = f"{var}_rx_state_"
        deadline = time.monotonic() + limit
        with self._arrived:
            checked = since
            while True:
                for _, data in self.messages[checked:]:
                    if not isinstance(data, dict):
                        continue
                    for values in data.get("delta", {}).values():
                        if key in values and accept(values[key]):
                            return values[key]
                checked = len(self.messages)
                if not self._client.connected:
                    raise ConnectionError("the server closed the connection")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no {var} within {limit} s")
                # Woken by every reply; the timeout also notices a closed connection.
                self._arrived.wait(min(remaining, 0.5))

    def wait_for(self, text: str, limit: float = 15.0) -> None:
        """Wait until some reply contains the text."""
        deadline = time.monotonic() + limit
        while text not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"no reply with {text!r}: {self.text()[-2000:]}")
            time.sleep(0.05)

    def text(self, since: int = 0) -> str:
        """Every reply from the `since`-th on, as one JSON text."""
        with self._lock:
            return json.dumps(self.messages[since:])

    def redirects(self, since: int = 0) -> list[str]:
        """The paths the server told this tab to go to."""
        with self._lock:
            messages = list(self.messages[since:])
        paths = []
        for _, data in messages:
            for event in (data or {}).get("events", []) if isinstance(data, dict) else []:
                if event.get("name") == "_redirect":
                    paths.append(event["payload"]["path"])
        return paths

    def delta_values(self, var: str, since: int = 0) -> list[Any]:
        """Every value a delta gave the var (named without the `_rx_state_` suffix), from the
        `since`-th reply on."""
        key = f"{var}_rx_state_"
        with self._lock:
            messages = list(self.messages[since:])
        return [
            values[key]
            for _, data in messages
            if isinstance(data, dict)
            for values in data.get("delta", {}).values()
            if key in values
        ]

    def close(self) -> None:
        """Disconnect, as closing the tab does."""
        if self._client.connected:
            self._client.disconnect()


@contextmanager
def reflex_socket(
    app: LiveApp, *, token: str = "", cookie: str = "", bind: bool = True
) -> Iterator[ReflexSocket]:
    """A connected raw client with its own (or the given) client token and Cookie header.

    Like a browser that loaded a page first, it brings a binding cookie unless `bind` is False.
    """
    socket = ReflexSocket(app, token or str(uuid.uuid4()), cookie, bind=bind)
    try:
        yield socket
    finally:
        socket.close()


def binding_cookie(app: LiveApp) -> str:
    """A fresh binding cookie from the app, as a `name=value` Cookie header part."""
    response = httpx.get(app.url("/auth/bind"), follow_redirects=False, timeout=30)
    assert response.status_code == 303, response.text
    value = response.cookies.get(BINDING_COOKIE)
    assert value, f"no binding cookie from /auth/bind: {response.headers}"
    return f"{BINDING_COOKIE}={value}"


def redeem(app: LiveApp, handoff_url: str, binding: str) -> str:
    """Load the cookie beacon's URL as the browser would; the Cookie header it sets."""
    response = httpx.get(
        urljoin(app.base_url, handoff_url),
        headers={"Cookie": binding, "Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 303, response.text
    value = response.cookies.get(COOKIE_NAME)
    assert value, f"no session cookie from {handoff_url}: {response.headers}"
    return f"{COOKIE_NAME}={value}"


def submit_login(socket: ReflexSocket, username: str, password: str) -> str:
    """Submit the login form over the socket; the cookie beacon's URL, not yet loaded."""
    since = len(socket.messages)
    socket.send(handler(rx.State, "hydrate"), path="/login")
    form = {"username": username, "password": password}
    socket.send(handler(LoginState, "submit"), {"form_data": form}, path="/login")
    try:
        url = socket.wait_delta("handoff_url", since=since, limit=15)
    except (TimeoutError, ConnectionError):
        raise AssertionError(f"no handoff URL: {socket.text()[-2000:]}") from None
    assert url.startswith("/auth/session?code="), url
    return url


def sign_in(socket: ReflexSocket, username: str, password: str) -> str:
    """Submit the login form over the socket, redeem the handoff; the session Cookie header."""
    handoff_url = submit_login(socket, username, password)
    cookie = redeem(socket.app, handoff_url, socket.binding)
    # The beacon has loaded: the page finishes the handoff, as the browser's onLoad does.
    socket.send(handler(AuthState, "finish_handoff"), path="/login")
    assert socket.sync(), "the server closed the connection"
    return cookie


def cookie_secret(cookie: str) -> str:
    """The secret in a `nfp_session=...` Cookie header."""
    return cookie.partition("=")[2]
