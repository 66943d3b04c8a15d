"""Forgot and reset password: a neutral request, a single-use link by email, a new password.

The request answers the same whether or not the account exists, and whether or not it was
throttled; only its mail differs, and that goes out later from the outbox. Requests are
throttled per account and per IP: a throttled request sends nothing and is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from nfp_app import routes
from nfp_app.infra.settings import get_settings
from nfp_app.models import User, utcnow
from nfp_app.services import account_changes, accounts, action_tokens, audit, mailer, throttle
from nfp_app.services.signin import account_key_for
from nfp_app.services.signin_limits import Limits

RESET_ACCOUNT = "reset_account"
RESET_IP = "reset_ip"


class InvalidLinkError(accounts.AccountError):
    """The link was used, expired, replaced by a newer one, or never existed."""

    field = "token"

    def __init__(self) -> None:
        super().__init__(
            "This link no longer works: it was used, it expired, or a newer one was sent. "
            "Ask for a new one."
        )


@dataclass(frozen=True, slots=True)
class RequestThrottled:
    """Too many reset requests for this name or from this address; nothing was sent."""

    retry_after: int


def find_account(session: Session, identifier: str) -> User | None:
    """The account a username or an email address names."""
    if "@" in identifier:
        return accounts.find_by_email(session=session, email=identifier)
    return accounts.find_by_username(session=session, username=identifier)


def request_reset(
    *, session: Session, identifier: str, ip: str = "", now: dt.datetime | None = None
) -> None:
    """Mail a reset link when the account exists, has an address and is not throttled."""
    settings = get_settings()
    now = now or utcnow()
    limits = Limits.from_settings(settings)
    user = find_account(session, identifier.strip())
    # One budget per account, whether it is named by its username or by its address.
    typed = identifier.strip().lower() if "@" in identifier else identifier
    key = account_key_for(user.username if user else typed)
    keys = [
        throttle.Key(RESET_ACCOUNT, key, limits.client),
        throttle.Key(RESET_IP, ip, limits.ip),
    ]
    reserved = throttle.reserve(
        session=session, keys=keys, keep=settings.throttle_retention, now=now
    )
    throttled = isinstance(reserved, throttle.Refused)
    # A throttled request sends nothing, but answers like any other: saying "too many
    # requests" would differ from the neutral answer a stranger gets.
    if not throttled and user is not None and user.is_active:
        send_link(session=session, user=user, now=now)
    audit.record(
        session=session,
        event="password_reset_request",
        outcome="throttled" if throttled else "success",
        user_id=user.id if user else None,
        username=user.username if user else key,
        ip=ip,
    )


def send_link(*, session: Session, user: User, now: dt.datetime | None = None) -> None:
    """Mail the account a fresh reset link, if it has an address; older links stop working."""
    if not user.email:
        return
    settings = get_settings()
    minutes = settings.password_reset_minutes
    token = action_tokens.issue(
        session=session,
        purpose="reset",
        user=user,
        lifetime=dt.timedelta(minutes=minutes),
        now=now,
    )
    mailer.enqueue(
        session=session,
        to=user.email,
        template="password_reset",
        now=now,
        username=user.username,
        minutes=str(minutes),
        link=mailer.app_link(routes.RESET_PASSWORD, token=token),
    )


def check_link(*, session: Session, token: str) -> User:
    """The account a reset link is for, without using the link up; InvalidLinkError if none."""
    found = action_tokens.peek(session=session, purpose="reset", token=token)
    if found is None:
        raise InvalidLinkError()
    return found[1]


def reset_password(
    *, session: Session, token: str, password: str, ip: str = "", user_agent: str = ""
) -> User:
    """Set the new password and use the link up; every session and token of the user ends."""
    # A bad link fails before the policy is applied; a refused password rolls the use back.
    found = action_tokens.consume(session=session, purpose="reset", token=token)
    if found is None:
        raise InvalidLinkError()
    _row, user = found
    assert user.id is not None
    return account_changes.set_password(
        session=session,
        user_id=user.id,
        password=password,
        actor="reset link",
        ip=ip,
        user_agent=user_agent,
    )
