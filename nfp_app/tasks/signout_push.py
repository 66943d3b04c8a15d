"""Instant sign-out: tabs whose session was revoked are signed out within a second or two.

Each worker remembers which of the tabs it serves hold which session (`state.tabs`, filled
when a connection proves its session). It learns which of those sessions have ended, whoever
ended them (another tab, an admin, the CLI, another worker or instance), in one of two ways:

- with REDIS_URL, at once: the ids come on the sign-out channel right after the commit that
  ended them (`infra.signout_bus`); a slower database sweep catches what a Redis outage lost;
- without, by asking the database twice a second.

Either way the database has the last word (`session_ends.ended_among`), and the change goes into
each tab's state with Reflex's `app.modify_state`; with Redis, Reflex delivers it to a tab that
is connected to another worker. The tab then shows the sign-in page. Nothing polls from the
browser.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.services import session_ends
from nfp_app.state import tabs
from nfp_app.state.auth import AuthState
from nfp_app.tasks import signout_channel

logger = logging.getLogger("nfp_app.signout")
INTERVAL_SECONDS = 0.5
# With Redis the sweep is only a safety net for messages lost while Redis was away.
SAFETY_SWEEP_SECONDS = 5.0


async def _sign_out(app: rx.App, token: str, session_id: int) -> None:
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=AuthState)) as root:
        # Reflex hands over the root of the tab's state tree, with AuthState loaded.
        auth = await root.get_state(AuthState)
        await auth._signed_out_elsewhere_now(session_id)


async def sign_out_ended(app: rx.App, session_ids: Collection[int]) -> None:
    """Sign out this worker's tabs of those of these sessions the database says have ended."""
    watched = set(tabs.watched_sessions()).intersection(session_ids)
    if not watched:
        return
    try:
        ended = await db.run(session_ends.ended_among, session_ids=watched)
    except SQLAlchemyError as error:
        logger.warning("sign-out push skipped a round: %s", error)
        return
    for session_id, logged_out_tab in ended.items():
        for token in tabs.take(session_id) - {logged_out_tab}:
            try:
                await _sign_out(app, token, session_id)
            except Exception:
                # One tab's trouble must not stop the other tabs' sign-out.
                logger.exception("could not push the sign-out to a tab")


async def _sweep_forever(app: rx.App, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        await sign_out_ended(app, tabs.watched_sessions())


async def push_signouts_forever(app: rx.App) -> None:
    """The lifespan task: sign out every watched tab whose session has ended."""
    redis_url = get_settings().redis_url
    if not redis_url:
        await _sweep_forever(app, INTERVAL_SECONDS)
        return

    async def on_ended(session_ids: set[int]) -> None:
        await sign_out_ended(app, session_ids)

    async def catch_up(_ids: set[int]) -> None:
        await sign_out_ended(app, tabs.watched_sessions())

    async with asyncio.TaskGroup() as group:
        group.create_task(signout_channel.listen_forever(redis_url, on_ended, catch_up))
        group.create_task(_sweep_forever(app, SAFETY_SWEEP_SECONDS))
