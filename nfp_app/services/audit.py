"""The audit trail: an auth_event row and one structured log line per security event."""

from __future__ import annotations

import logging
from typing import Literal

from sqlmodel import Session

from nfp_app.models import AuthEvent, User, clip, utcnow

Event = Literal[
    "signup",
    "login",
    "handoff",
    "logout",
    "password_change",
    "user_disable",
    "user_enable",
    "user_promote",
    "user_demote",
    "user_delete",
    "sessions_revoke",
    "session_revoke",
    "password_reset_request",
    "password_reset",
    "email_change",
    "email_verify",
    "wasnt_me",
    # Two-factor authentication (services/mfa_*.py).
    "mfa_enrol",
    "mfa_challenge",
    "mfa_enable",
    "mfa_disable",
    "mfa_reset",
    "mfa_recovery_codes",
    "mfa_verify",
    # Passkeys (services/passkey_*.py).
    "passkey_add",
    "passkey_rename",
    "passkey_remove",
    "passkey_verify",
]
Outcome = Literal["success", "failure", "throttled"]

logger = logging.getLogger("nfp_app.audit")


def record(
    *,
    session: Session,
    event: Event,
    outcome: Outcome,
    user_id: int | None = None,
    username: str = "",
    ip: str = "",
    user_agent: str = "",
    detail: str = "",
) -> None:
    """Store the event and log it; callers pass no passwords, hashes or tokens."""
    row = AuthEvent(
        created_at=utcnow(),
        event=event,
        outcome=outcome,
        user_id=user_id,
        username=clip(username, AuthEvent, "username"),
        ip=clip(ip, AuthEvent, "ip"),
        user_agent=clip(user_agent, AuthEvent, "user_agent"),
        detail=clip(detail, AuthEvent, "detail"),
    )
    session.add(row)
    fields = {
        "time": row.created_at.isoformat(),
        "event": event,
        "outcome": outcome,
        "user_id": user_id,
        "username": row.username,
        "ip": row.ip,
        "detail": row.detail,
    }
    # infra/logs.py writes the fields as JSON keys in production, as key=value in development.
    logger.info("auth event %s %s", event, outcome, extra={"fields": fields})


def record_change(
    session: Session,
    event: Event,
    user: User,
    *,
    actor: str = "",
    ip: str = "",
    user_agent: str = "",
    note: str = "",
) -> None:
    """Record a successful change to an account, naming who made it (an admin or cli:<os user>)."""
    detail = " ".join(part for part in (note, f"by {actor}" if actor else "") if part)
    record(
        session=session,
        event=event,
        outcome="success",
        user_id=user.id,
        username=user.username,
        ip=ip,
        user_agent=user_agent,
        detail=detail,
    )
