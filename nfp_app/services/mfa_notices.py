"""Security emails about two-factor authentication; always sent when the account has an email."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from nfp_app import routes
from nfp_app.models import User
from nfp_app.services import mailer
from nfp_app.services.notices import sign_in_details


def _send(
    session: Session,
    user: User,
    template: str,
    *,
    ip: str,
    user_agent: str,
    now: dt.datetime,
    **values: str,
) -> None:
    if not user.email:
        return
    mailer.enqueue(
        session=session,
        to=user.email,
        template=template,
        now=now,
        forgot_link=mailer.app_link(routes.FORGOT_PASSWORD),
        **sign_in_details(user, ip, user_agent, now),
        **values,
    )


def enabled(*, session: Session, user: User, ip: str, user_agent: str, now: dt.datetime) -> None:
    """Two-factor authentication was turned on."""
    _send(session, user, "mfa_enabled", ip=ip, user_agent=user_agent, now=now)


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
    _send(session, user, "mfa_disabled", ip=ip, user_agent=user_agent, now=now, by=note)


def recovery_code_used(
    *, session: Session, user: User, codes_left: int, ip: str, user_agent: str, now: dt.datetime
) -> None:
    """A recovery code signed in; how many are left."""
    _send(
        session,
        user,
        "mfa_recovery_code_used",
        ip=ip,
        user_agent=user_agent,
        now=now,
        codes_left=str(codes_left),
    )
