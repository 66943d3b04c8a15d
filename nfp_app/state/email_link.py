"""The one-button pages that links in emails open: the shared open-then-confirm flow."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.services import accounts
from nfp_app.state.busy import busy_while


class EmailLink(rx.State, mixin=True):
    """The link's token stays on the server; only pressing the button uses it."""

    error: str = ""
    busy: bool = False
    _token: str = ""

    async def _use_link(self, token: str) -> str:
        """Use the token (raises an AccountError when it does not work); the notice to show."""
        raise NotImplementedError

    @rx.event
    def open_page(self):
        """On load: keep the token; opening the link alone changes nothing (mail scanners)."""
        self.error, self.busy = "", False
        self._token = self.router.url.query_parameters.get("token", "")

    @rx.event
    @busy_while("busy")
    async def confirm(self):
        """Use the link, then show the sign-in page with what happened."""
        try:
            notice = await self._use_link(self._token)
        except accounts.AccountError as error:
            self.error = error.message
            return
        self._token = ""
        yield rx.redirect(routes.login_with_notice(notice), replace=True)
