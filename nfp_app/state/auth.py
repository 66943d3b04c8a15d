"""AuthState: the signed-in user, checked on the server for every protected event."""

from __future__ import annotations

import asyncio
import dataclasses
from http.cookies import CookieError, SimpleCookie
from urllib.parse import quote

import reflex as rx
from reflex_base.event import EventSpec

from nfp_app import db, sessions
from nfp_app.models import User
from nfp_app.settings import get_settings
from nfp_app.urls import backend_url


@dataclasses.dataclass(frozen=True)
class UserView:
    """What the browser may show about the signed-in user."""

    username: str
    email: str
    role: str
    created_at: str
    last_login_at: str


def format_time(value: object) -> str:
    """A timestamp as people read it, or a dash."""
    if value is None:
        return "—"
    return f"{value:%Y-%m-%d %H:%M} UTC"


def user_view(user: User) -> UserView:
    """The browser-safe view of a stored user."""
    return UserView(
        username=user.username,
        email=user.email or "—",
        role="Administrator" if user.is_admin else "User",
        created_at=format_time(user.created_at),
        last_login_at=format_time(user.last_login_at),
    )


def _cookie_secret(cookie_header: str) -> str:
    try:
        jar = SimpleCookie(cookie_header)
    except CookieError:
        return ""
    morsel = jar.get(get_settings().session_cookie_name)
    return morsel.value[:128] if morsel else ""


def _check_session(session_id: int) -> User | None:
    with db.session_scope() as session:
        return sessions.check(session=session, session_id=session_id)


def _resume_session(secret: str) -> tuple[int, User] | None:
    with db.session_scope() as session:
        return sessions.resume(session=session, secret=secret)


def _end_session(session_id: int, ip: str) -> None:
    with db.session_scope() as session:
        sessions.end(session=session, session_id=session_id, ip=ip)


class AuthState(rx.State):
    """The session of this browser tab; page states inherit from it."""

    # A one-time, one-minute URL that the cookie beacon loads to set or clear the HttpOnly cookie.
    handoff_url: str = ""
    _after_handoff: str = ""
    # Server-only: names starting with "_" are never sent to the browser. Only the session id is
    # kept (it is no credential by itself); secrets and tokens stay out of the state, which the
    # state manager pickles to disk or Redis.
    _session_id: int | None = None
    # Account data is shown only to the websocket connection that last checked the session.
    # A reload reconnects with the same client token, and Reflex sends the stored state before
    # on_load runs; the session may have ended since, so the old data must not ride along.
    _user: UserView | None = None
    _checked_by: str = ""

    def _checked_here(self) -> bool:
        return bool(self._checked_by) and self._checked_by == self.router.session.session_id

    @rx.var(cache=False)
    def user(self) -> UserView | None:
        """The signed-in user, once this connection has checked the session."""
        return self._user if self._checked_here() else None

    @rx.var(cache=False)
    def is_authenticated(self) -> bool:
        """Whether a user is signed in; pages gate protected content on this."""
        return self._user is not None and self._checked_here()

    def _forget(self) -> None:
        self._user = None
        self._checked_by = ""
        self._session_id = None

    def _remember(self, session_id: int, user: User) -> None:
        self._session_id = session_id
        self._user = user_view(user)
        self._checked_by = self.router.session.session_id

    async def _require_login(self) -> User | None:
        """Every protected handler starts here: the live user of this tab, restored from the
        cookie when needed, or None with the signed-in state cleared."""
        # The stored session id counts only on the connection that proved it. Reflex hands the
        # stored state to anyone who connects with its client token, so a new connection (a
        # reload, or a thief with a copied token) must bring the HttpOnly cookie again.
        if self._session_id is not None and self._checked_here():
            user = await asyncio.to_thread(_check_session, self._session_id)
            if user is not None:
                self._remember(self._session_id, user)
                return user
            self._forget()
        secret = _cookie_secret(self.router.headers.cookie)
        if secret:
            resumed = await asyncio.to_thread(_resume_session, secret)
            if resumed is not None:
                self._remember(*resumed)
                return resumed[1]
        self._forget()
        return None

    def _login_redirect(self) -> EventSpec:
        path = self.router.url.path or "/admin"
        return rx.redirect(f"/login?next={quote(path)}", replace=True)

    def _begin_handoff(self, url: str, then: str) -> None:
        """Let the cookie beacon call a backend route, then go to `then`."""
        self.handoff_url = url
        self._after_handoff = then

    @rx.event
    def finish_handoff(self):
        """The cookie beacon has loaded: continue where the handoff was heading."""
        then = self._after_handoff or ("/admin" if self.user else "/login")
        self.handoff_url = ""
        self._after_handoff = ""
        return rx.redirect(then, replace=True)

    @rx.event
    async def ensure_session(self):
        """On load of a protected page: sign the tab in from the cookie, or go to /login."""
        if await self._require_login() is None:
            return self._login_redirect()
        return None

    @rx.event
    async def route_home(self):
        """`/` goes to the admin page when signed in, else to the login page."""
        user = await self._require_login()
        return rx.redirect("/admin" if user else "/login", replace=True)

    @rx.event
    async def logout(self):
        """End the session on the server, forget it here, and have the backend clear the cookie."""
        # Only a connection that proved the session may end it; /auth/logout ends the cookie's.
        if self._session_id is not None and self._checked_here():
            await asyncio.to_thread(_end_session, self._session_id, self.router.session.client_ip)
        self._forget()
        self._begin_handoff(backend_url("/auth/logout"), "/login")
