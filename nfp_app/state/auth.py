"""AuthState: the signed-in user, checked on the server for every protected event."""

from __future__ import annotations

import time

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.infra.urls import backend_url
from nfp_app.models import User
from nfp_app.security.cookies import CookieNames, read_cookie
from nfp_app.services import auth_sessions
from nfp_app.state import mfa_gate, tabs
from nfp_app.state.changes import assign_changed
from nfp_app.state.page_states import page_state_classes
from nfp_app.state.views import UserView, user_view

# A browser sent through /auth/bind that still has no binding cookie refuses cookies: say so
# instead of sending it round again.
_BIND_RETRY_SECONDS = 30.0
COOKIES_NEEDED = (
    "Your browser did not send this site's sign-in cookie. Allow cookies for this site, then "
    "reload the page."
)


class AuthState(rx.State):
    """The session of this browser tab; page states inherit from it."""

    # A one-time, one-minute URL that the cookie beacon loads to set or clear the HttpOnly cookie.
    handoff_url: str = ""
    # Set when the server signs the tab out because its session ended elsewhere.
    signed_out_elsewhere: bool = False
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
    # True once this tab has dropped its session itself (a check found it gone, or a logout).
    # A state that Redis lost has it False, like a tab that never checked: see below.
    _dropped_session: bool = False
    _bind_redirected_at: float = 0.0
    # MFA_REQUIRED_FOR_ADMINS holds this administrator at /account until 2FA is on.
    _mfa_due: bool = False

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

    @rx.var(cache=False)
    def mfa_enrolment_due(self) -> bool:
        """Whether the policy requires this signed-in administrator to turn 2FA on first."""
        return self._mfa_due and self._checked_here()

    def _cookie_names(self) -> CookieNames:
        # The websocket's Origin says whether the page is https, where cookies carry __Host-.
        secure = self.router.headers.origin.lower().startswith("https://")
        return CookieNames.for_base(get_settings().session_cookie_name, secure=secure)

    def _cookie(self, name: str) -> str:
        """A cookie from this connection's handshake, HttpOnly ones included."""
        return read_cookie(self.router.headers.cookie, name)

    async def _switch_session(self, session_id: int | None) -> None:
        """The one place where a tab changes hands: every per-user var of every state resets.

        Signing in as someone else, logging out, an expiry or a revocation all pass here, so
        nothing loaded for one session can reach the next one's frames.
        """
        if session_id == self._session_id:
            return
        auth = await self.get_state(AuthState)
        for state_class in page_state_classes():
            await self.get_state(state_class)  # load it, so that reset() reaches it
        auth.reset()  # AuthState's own fields and every page state below it
        auth._session_id = session_id

    async def _forget(self) -> None:
        await self._switch_session(None)
        self._user = None
        self._checked_by = ""
        self._dropped_session = True

    async def _remember(self, session_id: int, user: User) -> None:
        await self._switch_session(session_id)
        assign_changed(
            self,
            _user=user_view(user),
            _mfa_due=await mfa_gate.enrolment_due(user),
            _checked_by=self.router.session.session_id,
        )
        # This worker will sign the tab out the moment the session ends elsewhere.
        tabs.watch(session_id, self.router.session.client_token)

    async def _signed_out_elsewhere_now(self, session_id: int) -> None:
        """Called by the sign-out push (not an event): the session ended somewhere else."""
        # No session and never dropped one: the tab's state was lost (Redis restarted empty),
        # and the worker's record of the tab is all there is. A tab that dropped the session
        # itself, or moved on to another one, has already left the page the push would leave.
        state_lost = self._session_id is None and not self._dropped_session
        if self._session_id != session_id and not state_lost:
            return
        await self._forget()
        self.signed_out_elsewhere = True

    async def _require_login(self) -> User | None:
        """Every protected handler starts here: the live user of this tab, restored from the
        cookie when needed, or None with the signed-in state cleared."""
        # The page's own check decides now; a pushed sign-out notice has done its part.
        assign_changed(self, signed_out_elsewhere=False)
        # The stored session id counts only on the connection that proved it. Reflex hands the
        # stored state to anyone who connects with its client token, so a new connection (a
        # reload, or a thief with a copied token) must bring the HttpOnly cookie again.
        if self._session_id is not None and self._checked_here():
            user = await db.run(auth_sessions.check, session_id=self._session_id)
            if user is not None:
                await self._remember(self._session_id, user)
                return user
            await self._forget()
        secret = self._cookie(self._cookie_names().session)
        if secret:
            resumed = await db.run(auth_sessions.resume, secret=secret)
            if resumed is not None:
                await self._remember(*resumed)
                return resumed[1]
        await self._forget()
        return None

    def _browser_binding(self) -> str:
        """This browser's binding cookie, which a sign-in's handoff code is bound to."""
        return self._cookie(self._cookie_names().binding)

    def _device_token(self) -> str:
        """This browser's device cookie, if it signed in before (see signin_limits)."""
        return self._cookie(self._cookie_names().device)

    def _bind_browser(self) -> rx.event.EventSpec | None:
        """Send a browser whose handshake had no binding cookie through the backend, once.

        In production the page load itself brought the cookie. The development server serves
        pages from another port, so the browser makes one full-page trip to /auth/bind.
        """
        if self._browser_binding():
            return None
        path = self.router.url.path or routes.LOGIN
        query = self.router.url.query
        target = backend_url(routes.bind_then(path + (f"?{query}" if query else "")))
        recently = time.time() - self._bind_redirected_at < _BIND_RETRY_SECONDS
        if not target.startswith(("http://", "https://")) or recently:
            return None  # same origin (the page load set it), or cookies are refused
        self._bind_redirected_at = time.time()
        return rx.redirect(target)

    def _login_redirect(self) -> rx.event.EventSpec:
        return rx.redirect(routes.login_then(self.router.url.path or routes.ADMIN), replace=True)

    def _begin_handoff(self, url: str, then: str) -> None:
        """Let the cookie beacon call a backend route, then go to `then`."""
        self.handoff_url = url
        self._after_handoff = then

    @rx.event
    def finish_handoff(self):
        """The cookie beacon has loaded: continue where the handoff was heading."""
        then = self._after_handoff or (routes.AFTER_SIGN_IN if self.user else routes.LOGIN)
        self.handoff_url = ""
        self._after_handoff = ""
        return rx.redirect(then, replace=True)

    @rx.event
    def leave_signed_out_page(self):
        """The signed-out notice has appeared: go to the sign-in page, saying why."""
        if not self.signed_out_elsewhere:
            return None
        self.signed_out_elsewhere = False
        return rx.redirect(routes.login_with_notice("signed-out"), replace=True)

    @rx.event
    async def route_home(self):
        """`/` goes to the admin page when signed in, else to the login page."""
        user = await self._require_login()
        return rx.redirect(routes.AFTER_SIGN_IN if user else routes.LOGIN, replace=True)
