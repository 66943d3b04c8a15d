"""A bounded background load on a live app: REST sign-ins, REST signups and page events.

Each kind runs in its own thread, one request at a time with a short pause, and counts what
it sent, how each was answered and which failed to connect. Anything the app must never
answer (a 5xx other than 503, a 503 without Retry-After, a generic error on a page) is kept
in `unexpected`.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import reflex as rx

from nfp_app.infra.outage import UNAVAILABLE_MESSAGE
from nfp_app.state.login import LoginState
from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import ReflexSocket, handler, reflex_socket

PAUSE_SECONDS = 0.05
GENERIC_ERROR = "An error occurred"


@dataclass
class Tally:
    """What one kind of request got: answers by status (or outcome), connection failures."""

    # The answer that means success: "200" for REST, "ok" for a page sign-in.
    success: str
    sent: int = 0
    answered: Counter[str] = field(default_factory=Counter)
    failed: int = 0
    # (monotonic time, outcome) of every answer, to find the first success after an event.
    timeline: list[tuple[float, str]] = field(default_factory=list)

    def answer(self, outcome: str) -> None:
        """Count one answer."""
        self.answered[outcome] += 1
        self.timeline.append((time.monotonic(), outcome))

    def first_after(self, moment: float, outcome: str) -> float | None:
        """When the first answer with this outcome came after `moment`."""
        return next((at for at, got in list(self.timeline) if at > moment and got == outcome), None)

    def count_after(self, moment: float, outcome: str) -> int:
        """How many answers with this outcome came after `moment`."""
        return sum(1 for at, got in list(self.timeline) if at > moment and got == outcome)


@dataclass
class Load:
    """The running load and everything it saw."""

    app: LiveApp
    username: str
    stop: threading.Event = field(default_factory=threading.Event)
    tallies: dict[str, Tally] = field(default_factory=dict)
    signed_up: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        """Start one thread per kind of request."""
        kinds: dict[str, tuple[Callable[[Tally], None], str]] = {
            "POST /token": (self._sign_ins, "200"),
            "POST /users/": (self._signups, "200"),
            "page sign-in": (self._page_events, "ok"),
        }
        for name, (work, success) in kinds.items():
            tally = self.tallies[name] = Tally(success)
            thread = threading.Thread(target=self._guarded, args=(name, work, tally), daemon=True)
            self._threads.append(thread)
            thread.start()

    def finish(self) -> None:
        """Stop the load and wait for its threads."""
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
            assert not thread.is_alive(), "a load thread did not stop"

    def _guarded(self, name: str, work: Callable[[Tally], None], tally: Tally) -> None:
        try:
            work(tally)
        except Exception as error:
            self.unexpected.append(f"{name}: the load thread died: {error!r}")

    def _rest_answer(self, name: str, tally: Tally, response: httpx.Response) -> None:
        tally.answer(str(response.status_code))
        if response.status_code >= 500 and response.status_code != 503:
            self.unexpected.append(f"{name}: {response.status_code} {response.text[:200]}")
        if response.status_code == 503 and not response.headers.get("Retry-After"):
            self.unexpected.append(f"{name}: 503 without Retry-After")

    def _rest(
        self, name: str, tally: Tally, send: Callable[[httpx.Client], httpx.Response]
    ) -> None:
        with httpx.Client(base_url=self.app.base_url, timeout=30) as http:
            while not self.stop.is_set():
                tally.sent += 1
                try:
                    response = send(http)
                except httpx.TransportError:
                    tally.failed += 1
                else:
                    self._rest_answer(name, tally, response)
                time.sleep(PAUSE_SECONDS)

    def _sign_ins(self, tally: Tally) -> None:
        form = {"username": self.username, "password": PASSWORD}
        self._rest("POST /token", tally, lambda http: http.post("/token", data=form))

    def _signups(self, tally: Tally) -> None:
        def sign_up(http: httpx.Client) -> httpx.Response:
            name = unique_name("rs")
            response = http.post("/users/", json={"username": name, "password": PASSWORD})
            if response.status_code == 200:
                self.signed_up.append(name)
            return response

        self._rest("POST /users/", tally, sign_up)

    def _page_events(self, tally: Tally) -> None:
        with reflex_socket(self.app) as socket:
            socket.send(handler(rx.State, "hydrate"), path="/login")
            while not self.stop.is_set():
                tally.sent += 1
                outcome = _page_sign_in(socket, self.username)
                if outcome is None:
                    tally.failed += 1
                    return
                tally.answer(outcome)
                if outcome == "error":
                    self.unexpected.append(f"page sign-in: {socket.text()[-500:]}")
                time.sleep(PAUSE_SECONDS)


def _page_sign_in(socket: ReflexSocket, username: str) -> str | None:
    """Submit the login form once: "ok", "unavailable", "error", or None if the socket closed."""
    since = len(socket.messages)
    form = {"username": username, "password": PASSWORD}
    socket.send(handler(LoginState, "submit"), {"form_data": form}, path="/login")
    if not socket.sync():
        return None
    if any(url for url in socket.delta_values("handoff_url", since=since)):
        return "ok"
    reply = socket.text(since)
    if UNAVAILABLE_MESSAGE in reply:
        return "unavailable"
    return "error" if GENERIC_ERROR in reply else "no answer"
