"""Security emails about two-factor authentication; always sent when the account has an email."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from nfp_app.models import User
from nfp_app.services.notices import send_to_owner


def enabled(*, session: Session, user: User, ip: str, user_agent: str, now: dt.datetime) -> None:
    """Two-factor authentication was turned on."""
    send_to_owner(session, user, "mfa_enabled", ip=ip, user_agent=user_agent, now=now)


def disabled(
    *,
    session: Session,
    user: User,
    ip: str,
    user_agent: str,
    now: dt.datetime,
    by_admin: bool = False,
) -> None:
    """Two-factor authentication was turned off, by the owner or by an administrator."""
    note = " by an administrator" if by_admin else ""
    send_to_owner(session, user, "mfa_disabled", ip=ip, user_agent=user_agent, now=now, by=note)


def recovery_code_used(
    *, session: Session, user: User, codes_left: int, ip: str, user_agent: str, now: dt.datetime
) -> None:
    """A recovery code signed in; how many are left."""
    send_to_owner(
        session,
        user,
        "mfa_recovery_code_used",
        ip=ip,
        user_agent=user_agent,
        now=now,
        codes_left=str(codes_left),
    )
