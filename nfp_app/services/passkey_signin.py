"""Signing in with a passkey alone: discoverable, user verification required, a full
two-factor sign-in. The second-step use is in passkey_second_factor (re-exported here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from nfp_app.models import User, WebauthnChallenge, utcnow
from nfp_app.services import (
    accounts,
    audit,
    auth_sessions,
    bearer,
    passkey_challenges,
    passkey_options,
)
from nfp_app.services.mfa_signin import ChallengeInvalid
from nfp_app.services.passkey_manage import has_passkeys
from nfp_app.services.passkey_results import EXPIRED, NOT_VERIFIED, Ceremony, Refused
from nfp_app.services.passkey_second_factor import (
    begin_second_factor,
    can_use_passkey,
    complete_second_factor,
)
from nfp_app.services.passkey_verify import check_assertion
from nfp_app.services.signin import open_browser_session
from nfp_app.services.signin_results import SignedIn, Unverified

__all__ = [
    "ChallengeInvalid",
    "begin_second_factor",
    "begin_signin",
    "can_use_passkey",
    "complete_second_factor",
    "has_passkeys",
    "sign_in_for_token",
    "sign_in_with_passkey",
]


def begin_signin(*, session: Session, now: dt.datetime) -> Ceremony:
    """Options for a username-less sign-in: any of this site's passkeys, with UV."""
    return passkey_options.assertion_ceremony(
        session=session, purpose="signin", now=now, allowed=[], user_verification="required"
    )


def _audit_login(
    session: Session, user: User, outcome: audit.Outcome, ip: str, user_agent: str, detail: str
) -> None:
    audit.record(
        session=session,
        event="login",
        outcome=outcome,
        user_id=user.id,
        username=user.username,
        ip=ip,
        user_agent=user_agent,
        detail=detail,
    )


def _signer(
    session: Session,
    row: WebauthnChallenge | None,
    credential: dict[str, Any],
    *,
    ip: str,
    user_agent: str,
    now: dt.datetime,
) -> User | Unverified | Refused:
    """The account whose passkey signed the sign-in challenge, if it may sign in."""
    if row is None:
        return Refused(EXPIRED)
    checked = check_assertion(
        session=session,
        row=row,
        credential=credential,
        require_user_verification=True,
        now=now,
        ip=ip,
        user_agent=user_agent,
    )
    if isinstance(checked, Refused):
        return checked
    user = session.get(User, checked.user_id)
    assert user is not None
    if not user.is_active:
        # A disabled account answers like an unknown passkey, as a password sign-in does.
        _audit_login(session, user, "failure", ip, user_agent, "passkey: account disabled")
        return Refused(NOT_VERIFIED)
    if accounts.needs_verification(user):
        _audit_login(session, user, "failure", ip, user_agent, "passkey: email not verified")
        return Unverified()
    _audit_login(session, user, "success", ip, user_agent, f"passkey {checked.id}")
    return user


def sign_in_with_passkey(
    *,
    session: Session,
    handle: str,
    credential: dict[str, Any],
    binding: str,
    user_agent: str = "",
    ip: str = "",
    device_token: str = "",
    now: dt.datetime | None = None,
    persistent: bool = False,
) -> SignedIn | Unverified | Refused:
    """Open a browser session for the passkey that signed `begin_signin`'s challenge."""
    now = now or utcnow()
    row = passkey_challenges.claim(session=session, handle=handle, purpose="signin", now=now)
    user = _signer(session, row, credential, ip=ip, user_agent=user_agent, now=now)
    if not isinstance(user, User):
        return user
    return open_browser_session(
        session=session,
        user=user,
        persistent=persistent,
        binding=binding,
        user_agent=user_agent,
        ip=ip,
        device_token=device_token,
        now=now,
    )


def sign_in_for_token(
    *,
    session: Session,
    handle: str,
    credential: dict[str, Any],
    user_agent: str = "",
    ip: str = "",
    now: dt.datetime | None = None,
) -> bearer.TokenIssued | Unverified | Refused:
    """POST /passkeys/authentication/verify: a bearer token, as POST /token gives."""
    now = now or utcnow()
    row = passkey_challenges.claim(session=session, handle=handle, purpose="signin", now=now)
    user = _signer(session, row, credential, ip=ip, user_agent=user_agent, now=now)
    if not isinstance(user, User):
        return user
    assert user.id is not None
    session_id = auth_sessions.start_api_session(
        session=session, user=user, user_agent=user_agent, ip=ip, now=now
    )
    return bearer.TokenIssued(bearer.issue_token(user_id=user.id, session_id=session_id, now=now))
