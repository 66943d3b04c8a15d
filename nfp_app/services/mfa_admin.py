"""An administrator resets a user's two-factor authentication (console, REST or CLI)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from nfp_app.models import User, utcnow
from nfp_app.services import audit, mfa_notices, mfa_store
from nfp_app.services.accounts import UserNotFoundError
from nfp_app.services.admin_actions import Acting, check_reason
from nfp_app.services.mfa_errors import NotEnabledError


def admin_reset(
    *,
    session: Session,
    user_id: int,
    reason: str,
    acting: Acting,
    now: dt.datetime | None = None,
) -> User:
    """Remove the user's TOTP credential, recovery codes and pending sign-ins; audited with
    the reason, and the user is emailed. NotEnabledError when there is nothing to reset."""
    note = f"reason: {check_reason(reason)}"
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFoundError()
    if mfa_store.credential_of(session, user_id) is None:
        raise NotEnabledError()
    mfa_store.remove_all(session, user_id)
    audit.record_change(session, "mfa_reset", user, actor=acting.actor, ip=acting.ip, note=note)
    mfa_notices.disabled(
        session=session, user=user, ip=acting.ip, user_agent="", now=now or utcnow(), by_admin=True
    )
    session.flush()
    return user
