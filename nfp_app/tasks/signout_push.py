"""Instant sign-out: tabs whose session was revoked are signed out within a second or two.

Each worker remembers which of the tabs it serves hold which session (`state.tabs`, filled
when a connection proves its session). Twice a second it asks the database which of those
sessions have ended, whoever ended them (another tab, an admin, the CLI, another worker), and
pushes the change into each tab's state with Reflex's `app.modify_state`; with Redis, Reflex
delivers it to a tab that is connected to another worker. The tab then shows the sign-in
page. Nothing polls from the browser.
"""

from __future__ import annotations

import asyncio
import logging

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from nfp_app.infra import db
from nfp_app.services import session_ends
from nfp_app.state import tabs
from nfp_app.state.auth import AuthState

logger = logging.getLogger("nfp_app.signout")
INTERVAL_SECONDS = 0.5


async def _sign_out(app: rx.App, token: str, session_id: int) -> None:
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=AuthState)) as root:
        # Reflex hands over the root of the tab's state tree, with AuthState loaded.
        auth = await root.get_state(AuthState)
        await auth._signed_out_elsewhere_now(session_id)


async def push_signouts_forever(app: rx.App) -> None:
    """The lifespan task: sign out every watched tab whose session has ended."""
    while True:
        await asyncio.sleep(INTERVAL_SECONDS)
        watched = tabs.watched_sessions()
        if not watched:
            continue
        try:
            ended = await db.run(session_ends.ended_among, session_ids=watched)
        except SQLAlchemyError as error:
            logger.warning("sign-out push skipped a round: %s", error)
            continue
        for session_id, logged_out_tab in ended.items():
            for token in tabs.take(session_id) - {logged_out_tab}:
                try:
                    await _sign_out(app, token, session_id)
                except Exception:
                    # One tab's trouble must not stop the other tabs' sign-out.
                    logger.exception("could not push the sign-out to a tab")
