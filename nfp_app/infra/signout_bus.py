"""The sign-out channel: with REDIS_URL, the ids of ended sessions go out on Redis pub/sub.

Services note the sessions they end on the database session (`note_ended`); the ids are
published only once that transaction has committed, so a worker that hears them and asks the
database sees the change. Without Redis nothing is published: workers poll the database.
A message is only a hint: receivers re-check the database before signing a tab out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session

from nfp_app.infra import redis_client

CHANNEL = "nfp_app:sessions-ended"
_NOTED = "nfp_app.ended_session_ids"
logger = logging.getLogger("nfp_app.signout")


def note_ended(session: Session, session_ids: Iterable[int]) -> None:
    """Publish these session ids once `session`'s transaction has committed."""
    session.info.setdefault(_NOTED, set()).update(session_ids)


def encode(session_ids: Iterable[int]) -> str:
    """A message: the ids, comma-separated."""
    return ",".join(str(session_id) for session_id in sorted(set(session_ids)))


def decode(data: bytes | str) -> set[int]:
    """The ids in a message; anything that is not an id is ignored."""
    text = data.decode(errors="replace") if isinstance(data, bytes) else data
    return {int(part) for part in text.split(",") if part.strip().isdigit()}


def publish(session_ids: Iterable[int]) -> None:
    """Tell every worker these sessions ended; a Redis outage only delays it to their sweep."""
    ids = set(session_ids)
    client = redis_client.sync_client()
    if not ids or client is None:
        return
    try:
        client.publish(CHANNEL, encode(ids))
    except RedisError as error:
        logger.warning("could not publish %d ended session(s), the sweep will: %s", len(ids), error)


@event.listens_for(Session, "after_commit")
def _publish_noted(session: Session) -> None:
    if noted := session.info.pop(_NOTED, None):
        publish(noted)


@event.listens_for(Session, "after_rollback")
def _forget_noted(session: Session) -> None:
    session.info.pop(_NOTED, None)
