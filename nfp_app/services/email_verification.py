"""Email verification (REQUIRE_EMAIL_VERIFICATION): a single-use link confirms an address.

With the setting on, signup needs an email and a sign-in waits until it is confirmed; a new
address given on /account counts only once its link is opened.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from nfp_app import routes
from nfp_app.infra.settings import get_settings
from nfp_app.models import User, utcnow
from nfp_app.services import accounts, action_tokens, audit, mailer, throttle
from nfp_app.services.password_reset import InvalidLinkError, RequestThrottled
from nfp_app.services.signin import account_key_for
from nfp_app.services.signin_limits import Limits

VERIFY_LIFETIME = dt.timedelta(hours=24)
RESEND_ACCOUNT = "verify_account"
RESEND_IP = "verify_ip"


def start_verification(
    *, session: Session, user: User, email: str | None = None, now: dt.datetime | None = None
) -> None:
    """Mail a link that confirms `email` (the account's own address when not given)."""
    address = email or user.email
    if not address:
        return
    now = now or utcnow()
    token = action_tokens.issue(
        session=session,
        purpose="verify_email",
        user=user,
        lifetime=VERIFY_LIFETIME,
        email=address,
        now=now,
    )
    mailer.enqueue(
        session=session,
        to=address,
        template="verify_email",
        now=now,
        username=user.username,
        email=address,
        link=mailer.app_link(routes.VERIFY_EMAIL, token=token),
    )


def verify(*, session: Session, token: str, now: dt.datetime | None = None) -> User:
    """Confirm the address a link was sent to; it becomes the account's email."""
    now = now or utcnow()
    found = action_tokens.consume(session=session, purpose="verify_email", token=token, now=now)
    if found is None or found[0].email is None:
        raise InvalidLinkError()
    row, user = found
    assert row.email is not None
    other = accounts.find_by_email(session=session, email=row.email)
    if other is not None and other.id != user.id:
        raise accounts.EmailTakenError()
    user.email, user.email_verified_at = row.email, now
    session.add(user)
    audit.record_change(session, "email_verify", user, note=row.email)
    session.flush()
    return user


def resend(
    *, session: Session, username: str, ip: str = "", now: dt.datetime | None = None
) -> RequestThrottled | None:
    """Send the confirmation link again, when the account still waits for one; throttled."""
    settings = get_settings()
    limits = Limits.from_settings(settings)
    keys = [
        throttle.Key(RESEND_ACCOUNT, account_key_for(username), limits.client),
        throttle.Key(RESEND_IP, ip, limits.ip),
    ]
    reserved = throttle.reserve(
        session=session, keys=keys, keep=settings.throttle_retention, now=now
    )
    if isinstance(reserved, throttle.Refused):
        return RequestThrottled(retry_after=reserved.retry_after)
    user = accounts.find_by_username(session=session, username=username)
    if user is not None and accounts.needs_verification(user):
        start_verification(session=session, user=user, now=now)
    return None
