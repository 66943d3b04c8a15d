"""The second step of a sign-in with 2FA: a code redeems the challenge, and only then is a
session opened (a browser session here, an API token in `bearer.complete_sign_in`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from nfp_app.models import MfaChallenge, User, utcnow
from nfp_app.services import audit, mfa_challenges, mfa_verify
from nfp_app.services.signin import SignedIn, Throttled, open_browser_session


@dataclass(frozen=True, slots=True)
class ChallengeInvalid:
    """Unknown, expired, used, or void after too many wrong codes: start from the password."""


@dataclass(frozen=True, slots=True)
class WrongCode:
    """The code was refused; at 0 attempts left the challenge is void (start again)."""

    attempts_left: int


@dataclass(frozen=True, slots=True)
class Redeemed:
    """The code was right and the challenge is used up: open the session now."""

    user: User
    challenge: MfaChallenge


SecondStepFailure = ChallengeInvalid | WrongCode | Throttled
CompleteResult = SignedIn | SecondStepFailure


def redeem(
    *,
    session: Session,
    challenge: str,
    channel: mfa_challenges.Channel,
    code: str,
    ip: str = "",
    user_agent: str = "",
    now: dt.datetime,
) -> Redeemed | SecondStepFailure:
    """Check the code against the challenge's user; throttled, audited, single-use."""
    found = mfa_challenges.find(session=session, token=challenge, channel=channel, now=now)
    if found is None:
        return ChallengeInvalid()
    row, user = found
    checked = mfa_verify.verify(
        session=session,
        user=user,
        code=code,
        step="sign-in",
        ip=ip,
        user_agent=user_agent,
        now=now,
    )
    if isinstance(checked, Throttled):
        return checked
    if isinstance(checked, mfa_verify.CodeRefused):
        left = mfa_challenges.record_failure(session=session, row=row, now=now)
        if left == 0:
            audit.record(
                session=session,
                event="mfa_verify",
                outcome="failure",
                user_id=user.id,
                username=user.username,
                ip=ip,
                user_agent=user_agent,
                detail=f"sign-in restarted after {mfa_challenges.MAX_FAILURES} wrong codes",
            )
        return WrongCode(attempts_left=left)
    if not mfa_challenges.claim(session=session, row=row, now=now):
        return ChallengeInvalid()
    return Redeemed(user=user, challenge=row)


def complete_sign_in(
    *,
    session: Session,
    challenge: str,
    code: str,
    binding: str,
    user_agent: str = "",
    ip: str = "",
    device_token: str = "",
    now: dt.datetime | None = None,
) -> CompleteResult:
    """The /login/verify step: a right code opens the browser session, as `sign_in` would."""
    now = now or utcnow()
    redeemed = redeem(
        session=session,
        challenge=challenge,
        channel="browser",
        code=code,
        ip=ip,
        user_agent=user_agent,
        now=now,
    )
    if not isinstance(redeemed, Redeemed):
        return redeemed
    return open_browser_session(
        session=session,
        user=redeemed.user,
        persistent=redeemed.challenge.persistent,
        binding=binding,
        user_agent=user_agent,
        ip=ip,
        device_token=device_token,
        now=now,
    )
