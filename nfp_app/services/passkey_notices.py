"""Security emails about passkeys; always sent when the account has an email address."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from nfp_app import routes
from nfp_app.models import User
from nfp_app.services import mailer
from nfp_app.services.notices import send_to_owner


def _send(
    session: Session,
    user: User,
    template: str,
    *,
    name: str,
    ip: str,
    user_agent: str,
    now: dt.datetime,
    **values: str,
) -> None:
    send_to_owner(
        session,
        user,
        template,
        ip=ip,
        user_agent=user_agent,
        now=now,
        passkey=name,
        account_link=mailer.app_link(routes.ACCOUNT) + "#passkeys",
        **values,
    )


def added(
    *, session: Session, user: User, name: str, ip: str, user_agent: str, now: dt.datetime
) -> None:
    """A passkey was added to the account."""
    _send(session, user, "passkey_added", name=name, ip=ip, user_agent=user_agent, now=now)


def renamed(
    *,
    session: Session,
    user: User,
    old_name: str,
    name: str,
    ip: str,
    user_agent: str,
    now: dt.datetime,
) -> None:
    """A passkey got a new name."""
    _send(
        session,
        user,
        "passkey_renamed",
        name=name,
        ip=ip,
        user_agent=user_agent,
        now=now,
        old_name=old_name,
    )


def removed(
    *, session: Session, user: User, name: str, ip: str, user_agent: str, now: dt.datetime
) -> None:
    """A passkey was removed: it no longer signs in."""
    _send(session, user, "passkey_removed", name=name, ip=ip, user_agent=user_agent, now=now)
