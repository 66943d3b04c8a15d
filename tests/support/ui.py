"""Driving the live app in Chromium: readiness waits, frame sampling, cookies, forms."""

from __future__ import annotations

import json
import re
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from playwright._impl._api_structures import SetCookieParam as NewCookie
from playwright.sync_api import (
    BrowserContext,
    Page,
    ViewportSize,
    WebSocket,
    expect,
)
from playwright.sync_api import Cookie as BrowserCookie

from tests.support.accounts import PASSWORD
from tests.support.live_app import LiveApp

VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
# The narrowest phone the layout is made for.
PHONE: ViewportSize = {"width": 360, "height": 740}
COOKIE_NAME = "nfp_session"
# Texts that only the signed-in part of /admin contains.
PROTECTED_TEXTS = ("Your account", "Sign-ins per day", "Last sign-in")
# Reflex reports that a page's on_load handlers have run with this delta on the websocket.
_HYDRATED = '"is_hydrated_rx_state_":true'
READY_SECONDS = 15.0

expect.set_options(timeout=10_000)


@dataclass
class _Hydrations:
    """Counts the hydration deltas a page has received over all its websockets, and keeps
    every frame in order, each marked as sent by the page or received from the server."""

    count: int = 0
    frames: list[str] = field(default_factory=list)
    log: list[tuple[bool, str]] = field(default_factory=list)


_WATCHES: weakref.WeakKeyDictionary[Page, _Hydrations] = weakref.WeakKeyDictionary()


def watch_page(page: Page) -> Page:
    """Record the page's websocket traffic so helpers can wait for Reflex to be ready."""
    watch = _Hydrations()

    def on_frame(payload: str | bytes) -> None:
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        watch.frames.append(text)
        watch.log.append((False, text))
        if _HYDRATED in text:
            watch.count += 1

    def on_sent(payload: str | bytes) -> None:
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        watch.log.append((True, text))

    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", on_frame)
        socket.on("framesent", on_sent)

    page.on("websocket", on_socket)
    _WATCHES[page] = watch
    return page


def socket_frames(page: Page) -> list[str]:
    """Every websocket message the page has received so far."""
    return _WATCHES[page].frames


def hydrations(page: Page) -> int:
    """How many times Reflex has finished a page's on_load handlers in this tab so far."""
    return _WATCHES[page].count


def wait_hydrated(page: Page, before: int, what: str = "the page") -> None:
    """Wait until Reflex finishes another page's on_load handlers after `before` were counted."""
    deadline = time.monotonic() + READY_SECONDS
    while _WATCHES[page].count <= before:
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not hydrate within {READY_SECONDS} s")
        page.wait_for_timeout(20)


def sent_frames(page: Page) -> list[str]:
    """Every websocket message the page has sent so far."""
    return [text for sent, text in _WATCHES[page].log if sent]


def wait_answered(page: Page, sent: str, answer: str, what: str = "the event") -> None:
    """Wait until the page has sent a frame containing `sent` and then received one containing
    `answer`: the server has handled that event (a tab's events are handled in order)."""
    deadline = time.monotonic() + READY_SECONDS
    while True:
        log = list(_WATCHES[page].log)
        asked = [index for index, (out, text) in enumerate(log) if out and sent in text]
        if asked and any(not out and answer in text for out, text in log[asked[-1] :]):
            return
        if time.monotonic() > deadline:
            pytest.fail(f"{what} got no answer within {READY_SECONDS} s")
        page.wait_for_timeout(20)


def next_frames(page: Page, count: int = 2) -> None:
    """Wait until the browser has rendered `count` more frames: what arrived is on screen."""
    page.evaluate(
        """(count) => new Promise((done) => {
            const step = (left) => (left ? requestAnimationFrame(() => step(left - 1)) : done());
            step(count);
        })""",
        count,
    )


def login_page_ready(page: Page) -> None:
    """The positive signal after a redirect to /login: its on_load has run (the button is
    enabled only once the page is hydrated) and the result is on screen."""
    expect(page).to_have_url(re.compile(r"/login/?(\?.*)?$"))
    expect(page.locator("#submit")).to_be_enabled()
    next_frames(page)


def goto_ready(page: Page, url: str) -> None:
    """Open a URL and wait until Reflex has connected and run the page's on_load handlers."""
    before = hydrations(page)
    page.goto(url)
    wait_hydrated(page, before, url)


# Runs in every document of a page before the app's scripts, checks every rendered frame for
# anything only a signed-in visitor may see, and keeps what it saw in sessionStorage (which
# survives navigations within the tab).
_FRAME_SAMPLER = """
((needles) => {
  const store = window.sessionStorage;
  const leaks = JSON.parse(store.getItem("__nfpLeaks") || "[]");
  store.setItem("__nfpDocuments", String(Number(store.getItem("__nfpDocuments") || 0) + 1));
  const sample = () => {
    const body = document.body;
    if (body) {
      const text = body.innerText;
      const found = needles.filter((needle) => text.includes(needle));
      for (const id of ["account-username", "nav-username", "sign-in-chart", "logout"]) {
        if (document.getElementById(id)) found.push("#" + id);
      }
      if (found.length) {
        leaks.push(...found.filter((item) => !leaks.includes(item)));
        store.setItem("__nfpLeaks", JSON.stringify(leaks));
      }
    }
    store.setItem("__nfpFrames", String(Number(store.getItem("__nfpFrames") || 0) + 1));
    requestAnimationFrame(sample);
  };
  sample();
})(%s);
"""


@dataclass(frozen=True)
class Sampled:
    """What the frame sampler saw in one tab: documents loaded, frames checked, leaks found."""

    documents: int
    frames: int
    leaks: list[str]


def sample_frames(page: Page, *texts: str) -> None:
    """From the next document on, check every frame for protected texts, the given texts and ids."""
    page.add_init_script(_FRAME_SAMPLER % json.dumps([*PROTECTED_TEXTS, *texts]))


def sampled(page: Page) -> Sampled:
    """The sampler's findings so far in this tab."""
    documents, frames, leaks = page.evaluate(
        "['__nfpDocuments', '__nfpFrames', '__nfpLeaks'].map((k) => sessionStorage.getItem(k))"
    )
    return Sampled(int(documents or 0), int(frames or 0), json.loads(leaks or "[]"))


def session_cookie(context: BrowserContext) -> BrowserCookie | None:
    """The session cookie the browser holds, if any."""
    return next((c for c in context.cookies() if c.get("name") == COOKIE_NAME), None)


def cookie_param(cookie: BrowserCookie, *, expires: float | None = None) -> NewCookie:
    """A cookie read from one context in the form another context accepts."""
    return {
        "name": cookie.get("name", ""),
        "value": cookie.get("value", ""),
        "domain": cookie.get("domain", "localhost"),
        "path": cookie.get("path", "/"),
        "expires": cookie.get("expires", -1) if expires is None else expires,
        "httpOnly": cookie.get("httpOnly", False),
        "secure": cookie.get("secure", False),
        "sameSite": cookie.get("sameSite", "Lax"),
    }


def persistent_cookies(context: BrowserContext) -> list[NewCookie]:
    """The cookies that survive a browser restart: those with an expiry date."""
    return [cookie_param(c) for c in context.cookies() if c.get("expires", -1) != -1]


def fill_signup(
    page: Page, username: str, password: str, *, confirm: str | None = None, email: str = ""
) -> None:
    """Fill the signup form and press the button."""
    page.fill("#username", username)
    if email:
        page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#confirm", password if confirm is None else confirm)
    page.click("#submit")


def signup(page: Page, app: LiveApp, username: str, password: str = PASSWORD) -> None:
    """Create an account through /signup and wait until /admin shows it."""
    goto_ready(page, app.url("/signup"))
    before = hydrations(page)
    fill_signup(page, username, password)
    # The signed-in page's own on_load (the session check) has run too, not just the form's reply.
    wait_hydrated(page, before, "/admin after signup")
    expect(page.locator("#account-username")).to_have_text(username)


def fill_login(page: Page, username: str, password: str, *, remember: bool = False) -> None:
    """Fill the login form and press "Sign in"."""
    page.fill("#username", username)
    page.fill("#password", password)
    if remember:
        page.click("#remember_me")
        expect(page.locator("#remember_me")).to_have_attribute("aria-checked", "true")
    page.click("#submit")


def login(
    page: Page,
    app: LiveApp,
    username: str,
    password: str = PASSWORD,
    *,
    remember: bool = False,
    next_path: str | None = None,
) -> None:
    """Sign in through /login and wait until the signed-in page shows the user."""
    query = "" if next_path is None else f"?next={quote(next_path, safe='')}"
    goto_ready(page, app.url(f"/login{query}"))
    before = hydrations(page)
    fill_login(page, username, password, remember=remember)
    # The signed-in page's own on_load (the session check) has run too, not just the form's reply.
    wait_hydrated(page, before, "the page after login")
    expect(page.locator("#account-username")).to_have_text(username)


ContextFactory = Callable[..., BrowserContext]


def new_page(context: BrowserContext) -> Page:
    """A page in another context, watched like the `page` fixture."""
    return watch_page(context.new_page())
