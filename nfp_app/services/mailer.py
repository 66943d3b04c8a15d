"""Outgoing mail: stored in the same transaction as the change that caused it, then delivered
by a background task, retried after failures, and never lost."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from nfp_app.infra.mail_transport import Send
from nfp_app.infra.settings import get_settings
from nfp_app.mail.render import render
from nfp_app.models import MailMessage, clip, utcnow

logger = logging.getLogger("nfp_app.mail")

# Waits before each retry; after the last one the message is given up on (and logged).
RETRY_DELAYS = (
    dt.timedelta(seconds=10),
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
)


def app_link(path: str, **query: str) -> str:
    """An absolute link for a message: APP_URL, a path from `nfp_app.routes`, and its query."""
    url = get_settings().app_url.rstrip("/") + path
    return f"{url}?{urlencode(query)}" if query else url


def enqueue(
    *, session: Session, to: str, template: str, now: dt.datetime | None = None, **values: str
) -> MailMessage:
    """Render a message from its template and store it for delivery."""
    rendered = render(template, **values)
    now = now or utcnow()
    message = MailMessage(
        created_at=now,
        template=template,
        to_address=to,
        subject=clip(rendered.subject, MailMessage, "subject"),
        text_body=rendered.text,
        html_body=rendered.html,
        next_attempt_at=now,
    )
    session.add(message)
    session.flush()
    return message


def _due(session: Session, now: dt.datetime, limit: int) -> list[MailMessage]:
    query = (
        select(MailMessage)
        .where(
            col(MailMessage.sent_at).is_(None),
            col(MailMessage.failed_at).is_(None),
            col(MailMessage.next_attempt_at) <= now,
        )
        .order_by(col(MailMessage.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Several workers deliver at once: each takes messages the others have not locked.
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query).all())


def deliver_due(
    *, session: Session, send: Send, now: dt.datetime | None = None, limit: int = 20
) -> int:
    """Hand every message that is due to `send`; the number delivered."""
    now = now or utcnow()
    delivered = 0
    for message in _due(session, now, limit):
        message.attempts += 1
        try:
            send(message)
        except Exception as error:
            _failed(message, error, now)
        else:
            message.sent_at, message.last_error = now, ""
            delivered += 1
            logger.info("mail %s sent to %s: %s", message.id, message.to_address, message.subject)
        session.add(message)
    return delivered


def _failed(message: MailMessage, error: Exception, now: dt.datetime) -> None:
    message.last_error = clip(f"{type(error).__name__}: {error}", MailMessage, "last_error")
    if message.attempts > len(RETRY_DELAYS):
        message.failed_at = now
        logger.error("mail %s to %s given up: %s", message.id, message.to_address, error)
        return
    message.next_attempt_at = now + RETRY_DELAYS[message.attempts - 1]
    logger.warning(
        "mail %s to %s failed (attempt %s), retrying at %s: %s",
        message.id,
        message.to_address,
        message.attempts,
        message.next_attempt_at.isoformat(),
        error,
    )
