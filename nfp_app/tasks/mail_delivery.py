"""Deliver stored mail in the background, once a second, off the event loop."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from nfp_app.infra import db
from nfp_app.infra.mail_transport import sender
from nfp_app.infra.settings import get_settings
from nfp_app.services import mailer

logger = logging.getLogger("nfp_app.mail")
INTERVAL_SECONDS = 1.0


async def deliver_mail_forever() -> None:
    """The lifespan task: hand due messages to SMTP (or the outbox) until the app stops."""
    send = sender(get_settings())
    while True:
        try:
            await db.run(mailer.deliver_due, send=send)
        except SQLAlchemyError as error:
            # The database may be briefly away; the messages wait in it for the next round.
            logger.warning("mail delivery skipped a round: %s", error)
        await asyncio.sleep(INTERVAL_SECONDS)
