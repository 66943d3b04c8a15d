"""A passkey as the second step of a password sign-in (/login/verify), instead of a TOTP
code: it redeems the pending mfa challenge like a right code would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from nfp_app.models import utcnow
from nfp_app.services import audit, mfa_challenges, passkey_challenges, passkey_options
from nfp_app.services.mfa_signin import ChallengeInvalid
from nfp_app.services.passkey_manage import credentials_of
from nfp_app.services.passkey_results import EXPIRED, Ceremony, Refused
from nfp_app.services.passkey_verify import check_assertion
from nfp_app.services.signin import open_browser_session
from nfp_app.services.signin_results import SignedIn


def can_use_passkey(*, session: Session, challenge: str, now: dt.datetime) -> bool:
    """Whether /login/verify may offer "Use a passkey": the challenge is live, the user has one."""
    found = mfa_challenges.find(session=session, token=challenge, channel="browser", now=now)
    return found is not None and bool(credentials_of(session=session, user=found[1]))


def begin_second_factor(
    *, session: Session, challenge: str, now: dt.datetime
) -> Ceremony | ChallengeInvalid:
    """Options to answer the pending /login/verify step with one of the user's passkeys."""
    found = mfa_challenges.find(session=session, token=challenge, channel="browser", now=now)
    if found is None:
        return ChallengeInvalid()
    _, user = found
    allowed = credentials_of(session=session, user=user)
    if not allowed:
        return ChallengeInvalid()
    # The password was the first factor here, so presence alone may complete the second.
    return passkey_options.assertion_ceremony(
        session=session,
        purpose="second_factor",
        now=now,
        allowed=allowed,
        user_verification="preferred",
        user=user,
    )


def complete_second_factor(
    *,
    session: Session,
    challenge: str,
    handle: str,
    credential: dict[str, Any],
    binding: str,
    user_agent: str = "",
    ip: str = "",
    device_token: str = "",
    now: dt.datetime | None = None,
) -> SignedIn | ChallengeInvalid | Refused:
    """The /login/verify step with a passkey: it redeems the pending challenge like a code."""
    now = now or utcnow()
    found = mfa_challenges.find(session=session, token=challenge, channel="browser", now=now)
    if found is None:
        return ChallengeInvalid()
    pending, user = found
    row = passkey_challenges.claim(
        session=session, handle=handle, purpose="second_factor", now=now, user=user
    )
    if row is None:
        return Refused(EXPIRED)
    checked = check_assertion(
        session=session,
        row=row,
        credential=credential,
        require_user_verification=False,
        now=now,
        user=user,
        ip=ip,
        user_agent=user_agent,
    )
    if isinstance(checked, Refused):
        return checked
    if not mfa_challenges.claim(session=session, row=pending, now=now):
        return ChallengeInvalid()
    audit.record(
        session=session,
        event="mfa_verify",
        outcome="success",
        user_id=user.id,
        username=user.username,
        ip=ip,
        user_agent=user_agent,
        detail=f"sign-in: passkey {checked.id}",
    )
    return open_browser_session(
        session=session,
        user=user,
        persistent=pending.persistent,
        binding=binding,
        user_agent=user_agent,
        ip=ip,
        device_token=device_token,
        now=now,
    )
