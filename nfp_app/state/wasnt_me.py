"""WasntMeState: /wasnt-me?token=...: sign out everywhere after a sign-in that was not yours."""

from __future__ import annotations

from nfp_app.infra import db
from nfp_app.services import wasnt_me
from nfp_app.state.auth import AuthState
from nfp_app.state.email_link import EmailLink

REPORTED = "all-signed-out"


class WasntMeState(EmailLink, AuthState):
    """Why the link does not work, if it does not."""

    async def _use_link(self, token: str) -> str:
        # Every session ends and a reset link goes to the account's email.
        await db.run(wasnt_me.report, token=token, ip=self.router.session.client_ip)
        return REPORTED
