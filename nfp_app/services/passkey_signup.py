"""Signing up with a passkey alone (PASSKEY_SIGNUP): the account has no password until its
owner sets one. The username and email wait on the server with the challenge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.models import User
from nfp_app.security import policy
from nfp_app.services import (
    accounts,
    audit,
    auth_sessions,
    email_verification,
    passkey_challenges,
    passkey_options,
    signup,
)
from nfp_app.services.passkey_manage import check_name
from nfp_app.services.passkey_results import EXPIRED, NOT_VERIFIED, Ceremony, Refused
from nfp_app.services.passkey_verify import is_registered, new_credential

SIGNUP_OFF = "Signing up with a passkey is not available."


@dataclass(frozen=True, slots=True)
class SignedUp:
    """The new account, and its browser session (None while its email awaits confirmation or
    when no browser binding was given)."""

    user: User
    needs_verification: bool
    started: auth_sessions.BrowserSession | None = None


def create_passwordless_user(
    *, session: Session, username: str, email: str | None, ip: str = ""
) -> User:
    """Store a new ordinary account that signs in with passkeys only (hashed_password "")."""
    name = policy.check_username(username)
    address = policy.check_email(email)
    accounts.ensure_free(session, name, address)
    user = accounts.insert_user(session, name, address, hashed_password="", is_admin=False)
    audit.record_change(session, "signup", user, ip=ip, note="passkey")
    return user


def begin_signup(
    *, session: Session, username: str, email: str, now: dt.datetime, ip: str = ""
) -> Ceremony | Refused:
    """Options to create the first passkey of a new account, if that account may exist."""
    settings = get_settings()
    if not settings.passkey_signup:
        return Refused(SIGNUP_OFF)
    if settings.require_email_verification and not (email or "").strip():
        return Refused(signup.EMAIL_REQUIRED)
    try:
        name = policy.check_username(username)
        address = policy.check_email(email or None)
        accounts.ensure_free(session, name, address)
    except (policy.PolicyError, accounts.AccountError) as error:
        return Refused(error.message)
    retry_after = signup.admit(session=session, ip=ip, now=now)
    if retry_after:
        return Refused(signup.throttled_message(retry_after))
    user_handle = passkey_options.new_user_handle()
    handle, challenge = passkey_challenges.issue(
        session=session,
        purpose="signup",
        now=now,
        user_handle=user_handle,
        pending_username=name,
        pending_email=address or "",
    )
    options = passkey_options.registration(
        challenge=challenge, user_handle=user_handle, username=name, existing=[]
    )
    return Ceremony(handle=handle, options=options)


def finish_signup(
    *,
    session: Session,
    handle: str,
    credential: dict[str, Any],
    name: str,
    now: dt.datetime,
    ip: str = "",
    user_agent: str = "",
    binding: str = "",
) -> SignedUp | Refused:
    """Create the account and its passkey; with a `binding`, sign it in on this browser too."""
    if not get_settings().passkey_signup:
        return Refused(SIGNUP_OFF)
    checked_name = check_name(name)
    if isinstance(checked_name, Refused):
        return checked_name
    row = passkey_challenges.claim(session=session, handle=handle, purpose="signup", now=now)
    if row is None:
        return Refused(EXPIRED)
    created = new_credential(row=row, credential=credential, user_id=0, name=checked_name)
    if created is None or is_registered(session=session, credential_id=created.credential_id):
        return Refused(NOT_VERIFIED)
    try:
        user = create_passwordless_user(
            session=session,
            username=row.pending_username,
            email=row.pending_email or None,
            ip=ip,
        )
    except (policy.PolicyError, accounts.AccountError) as error:
        return Refused(error.message)
    assert user.id is not None
    created.user_id = user.id
    created.created_at = now
    session.add(created)
    session.flush()
    audit.record_change(
        session, "passkey_add", user, ip=ip, user_agent=user_agent, note=f"passkey {created.id}"
    )
    if get_settings().require_email_verification and user.email:
        email_verification.start_verification(session=session, user=user, now=now)
    if accounts.needs_verification(user):
        return SignedUp(user=user, needs_verification=True)
    started = None
    if binding:
        started = auth_sessions.start_browser_session(
            session=session,
            user=user,
            persistent=False,
            binding=binding,
            user_agent=user_agent,
            ip=ip,
            now=now,
        )
    return SignedUp(user=user, needs_verification=False, started=started)
