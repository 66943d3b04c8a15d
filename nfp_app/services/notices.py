"""Security emails: password changed, email changed, a sign-in from a new device.

Each goes out only when the account has an address and its NOTIFY_* setting is on.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from nfp_app import routes
from nfp_app.infra.settings import get_settings
from nfp_app.models import User, utcnow
from nfp_app.security.user_agents import describe_device
from nfp_app.services import action_tokens, mailer

# A "this wasn't me" link stays usable this long.
WASNT_ME_LIFETIME = dt.timedelta(days=7)


def sign_in_details(user: User, ip: str, user_agent: str, now: dt.datetime) -> dict[str, str]:
    """Who, when, from where: what every security email tells its reader."""
    return {
        "username": user.username,
        "time": f"{now:%Y-%m-%d %H:%M} UTC",
        "ip": ip or "unknown address",
        "device": describe_device(user_agent),
    }


def send_to_owner(
    session: Session,
    user: User,
    template: str,
    *,
    ip: str,
    user_agent: str,
    now: dt.datetime,
    **values: str,
) -> None:
    """A security email to the account's own address (none without one), with who, when,
    where and the way back through "Forgot your password?"."""
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


def password_changed(
    *, session: Session, user: User, ip: str, user_agent: str, now: dt.datetime | None = None
) -> None:
    """Tell the owner their password was changed, with a way back if it was not them."""
    if not (user.email and get_settings().notify_password_changed):
        return
    now = now or utcnow()
    mailer.enqueue(
        session=session,
        to=user.email,
        template="password_changed",
        now=now,
        forgot_link=mailer.app_link(routes.FORGOT_PASSWORD),
        **sign_in_details(user, ip, user_agent, now),
    )


def email_changed(
    *,
    session: Session,
    user: User,
    old_email: str,
    new_email: str,
    ip: str,
    user_agent: str,
    now: dt.datetime | None = None,
) -> None:
    """Tell the old address that the account's email is moving elsewhere."""
    if not (old_email and get_settings().notify_email_changed):
        return
    now = now or utcnow()
    mailer.enqueue(
        session=session,
        to=old_email,
        template="email_changed",
        now=now,
        new_email=new_email,
        forgot_link=mailer.app_link(routes.FORGOT_PASSWORD),
        **sign_in_details(user, ip, user_agent, now),
    )


def new_device(
    *, session: Session, user: User, ip: str, user_agent: str, now: dt.datetime | None = None
) -> None:
    """Tell the owner about a sign-in from a browser that never signed in to this account."""
    if not (user.email and get_settings().notify_new_device):
        return
    now = now or utcnow()
    token = action_tokens.issue(
        session=session, purpose="wasnt_me", user=user, lifetime=WASNT_ME_LIFETIME, now=now
    )
    mailer.enqueue(
        session=session,
        to=user.email,
        template="new_device",
        now=now,
        wasnt_me_link=mailer.app_link(routes.WASNT_ME, token=token),
        **sign_in_details(user, ip, user_agent, now),
    )
