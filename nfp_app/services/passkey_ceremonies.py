"""Passkey ceremonies of a signed-in user: add a passkey, re-authenticate with one; and (from
passkey_signup) a new account made with a passkey alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from nfp_app.models import User
from nfp_app.services import (
    accounts,
    audit,
    my_account,
    passkey_challenges,
    passkey_notices,
    passkey_options,
)
from nfp_app.services.passkey_manage import PasskeyView, check_name, credentials_of
from nfp_app.services.passkey_results import EXPIRED, NOT_VERIFIED, Ceremony, Refused
from nfp_app.services.passkey_signup import SignedUp, begin_signup, finish_signup
from nfp_app.services.passkey_verify import check_assertion, is_registered, new_credential

__all__ = [
    "Ceremony",
    "PasskeyView",
    "Refused",
    "SignedUp",
    "begin_reauth",
    "begin_registration",
    "begin_registration_after_password",
    "begin_signup",
    "finish_reauth",
    "finish_registration",
    "finish_signup",
]

ALREADY_REGISTERED = "This passkey is already registered."
NO_PASSKEYS = "This account has no passkey to confirm with."


def begin_registration(*, session: Session, user: User, now: dt.datetime) -> Ceremony:
    """Options to create a passkey for this user; the authenticator skips the ones they have."""
    existing = credentials_of(session=session, user=user)
    user_handle = passkey_options.user_handle_of(existing)
    handle, challenge = passkey_challenges.issue(
        session=session, purpose="register", now=now, user=user, user_handle=user_handle
    )
    options = passkey_options.registration(
        challenge=challenge, user_handle=user_handle, username=user.username, existing=existing
    )
    return Ceremony(handle=handle, options=options)


def begin_registration_after_password(
    *,
    session: Session,
    user: User,
    password: str,
    now: dt.datetime,
    ip: str = "",
    user_agent: str = "",
) -> Ceremony:
    """`begin_registration` once the current password is confirmed, when the account has one;
    raises my_account's WrongPasswordError or TooManyAttemptsError (throttled like a sign-in)."""
    if accounts.has_password(user):
        my_account.confirm_password(session, user, password, ip=ip, user_agent=user_agent)
    return begin_registration(session=session, user=user, now=now)


def finish_registration(
    *,
    session: Session,
    user: User,
    handle: str,
    credential: dict[str, Any],
    name: str,
    now: dt.datetime,
    ip: str = "",
    user_agent: str = "",
) -> PasskeyView | Refused:
    """Store the passkey the browser created for `begin_registration`'s challenge."""
    checked_name = check_name(name)
    if isinstance(checked_name, Refused):
        return checked_name
    row = passkey_challenges.claim(
        session=session, handle=handle, purpose="register", now=now, user=user
    )
    if row is None:
        return Refused(EXPIRED)
    assert user.id is not None
    created = new_credential(row=row, credential=credential, user_id=user.id, name=checked_name)
    if created is None:
        return Refused(NOT_VERIFIED)
    if is_registered(session=session, credential_id=created.credential_id):
        return Refused(ALREADY_REGISTERED)
    created.created_at = now
    session.add(created)
    session.flush()
    audit.record_change(
        session, "passkey_add", user, ip=ip, user_agent=user_agent, note=f"passkey {created.id}"
    )
    passkey_notices.added(
        session=session, user=user, name=checked_name, ip=ip, user_agent=user_agent, now=now
    )
    return PasskeyView.of(created)


def begin_reauth(*, session: Session, user: User, now: dt.datetime) -> Ceremony | Refused:
    """Options to confirm it is really this user, with one of their passkeys (UV required)."""
    existing = credentials_of(session=session, user=user)
    if not existing:
        return Refused(NO_PASSKEYS)
    return passkey_options.assertion_ceremony(
        session=session,
        purpose="reauth",
        now=now,
        allowed=existing,
        user_verification="required",
        user=user,
    )


def finish_reauth(
    *,
    session: Session,
    user: User,
    handle: str,
    credential: dict[str, Any],
    now: dt.datetime,
    ip: str = "",
    user_agent: str = "",
) -> Refused | None:
    """None when one of the user's own passkeys signed `begin_reauth`'s challenge."""
    row = passkey_challenges.claim(
        session=session, handle=handle, purpose="reauth", now=now, user=user
    )
    if row is None:
        return Refused(EXPIRED)
    checked = check_assertion(
        session=session,
        row=row,
        credential=credential,
        require_user_verification=True,
        now=now,
        user=user,
        ip=ip,
        user_agent=user_agent,
    )
    return checked if isinstance(checked, Refused) else None
