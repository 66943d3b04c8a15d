"""Bearer tokens for the REST API: issued at sign-in, checked against their live session on
every request. The only service that reads SECRET_KEY for access tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.models import AuthSession, User, utcnow
from nfp_app.security import tokens
from nfp_app.services import (
    auth_sessions,
    mfa_challenges,
    mfa_signin,
    mfa_store,
    session_ends,
    signin,
)


@dataclass(frozen=True, slots=True)
class TokenUser:
    """The live user behind a valid token, and the session the token is bound to."""

    user: User
    session_id: int


@dataclass(frozen=True, slots=True)
class TokenIssued:
    """The credentials were right: a token bound to a new API session."""

    access_token: str


@dataclass(frozen=True, slots=True)
class MfaRequired:
    """The password was right, the account has 2FA: redeem `mfa_token` at POST /token/mfa."""

    mfa_token: str


def issue_token(*, user_id: int, session_id: int, now: dt.datetime | None = None) -> str:
    """A signed access token bound to a session."""
    settings = get_settings()
    return tokens.encode_access_token(
        subject=str(user_id),
        session_id=session_id,
        key=settings.secret_key,
        lifetime=dt.timedelta(minutes=settings.access_token_expire_minutes),
        now=now or utcnow(),
    )


def sign_in(
    *,
    session: Session,
    username: str,
    password: str,
    user_agent: str = "",
    ip: str = "",
    device_token: str = "",
    now: dt.datetime | None = None,
) -> TokenIssued | MfaRequired | signin.BadCredentials | signin.Throttled | signin.Unverified:
    """The OAuth2 password flow: the same checks as the login page, then a token (or, with
    2FA, a challenge: no token on the password alone)."""
    now = now or utcnow()
    outcome = signin.attempt(
        session=session,
        username=username,
        password=password,
        ip=ip,
        user_agent=user_agent,
        device_token=device_token,
        now=now,
    )
    if not isinstance(outcome, User):
        return outcome
    if mfa_store.is_enabled(session, outcome):
        token = mfa_challenges.issue(
            session=session,
            user=outcome,
            channel="api",
            persistent=False,
            now=now,
            ip=ip,
            user_agent=user_agent,
        )
        return MfaRequired(mfa_token=token)
    return _open_api_session(session, outcome, user_agent=user_agent, ip=ip, now=now)


def _open_api_session(
    session: Session, user: User, *, user_agent: str, ip: str, now: dt.datetime
) -> TokenIssued:
    assert user.id is not None
    session_id = auth_sessions.start_api_session(
        session=session, user=user, user_agent=user_agent, ip=ip, now=now
    )
    return TokenIssued(issue_token(user_id=user.id, session_id=session_id, now=now))


def complete_sign_in(
    *,
    session: Session,
    mfa_token: str,
    code: str,
    user_agent: str = "",
    ip: str = "",
    now: dt.datetime | None = None,
) -> TokenIssued | mfa_signin.SecondStepFailure:
    """POST /token/mfa: a right code redeems the mfa_token for a bearer token."""
    now = now or utcnow()
    redeemed = mfa_signin.redeem(
        session=session,
        challenge=mfa_token,
        channel="api",
        code=code,
        ip=ip,
        user_agent=user_agent,
        now=now,
    )
    if not isinstance(redeemed, mfa_signin.Redeemed):
        return redeemed
    return _open_api_session(session, redeemed.user, user_agent=user_agent, ip=ip, now=now)


def _whole_seconds(moment: dt.datetime) -> dt.datetime:
    # iat has one-second resolution, so compare against the change truncated to its second.
    return moment.replace(microsecond=0)


def _issued_after_password_change(
    row: AuthSession, claims: tokens.AccessClaims, user: User
) -> bool:
    # The session row keeps microseconds, so it settles ties inside the second of the change.
    changed = user.password_changed_at
    return claims.issued_at >= _whole_seconds(changed) and row.created_at >= changed


def check_token(
    *, session: Session, token: str, now: dt.datetime | None = None
) -> TokenUser | None:
    """The user and session of a valid, live token; None for any reason it must not work."""
    try:
        claims = tokens.decode_access_token(token, key=get_settings().secret_key)
    except tokens.InvalidTokenError:
        return None
    found = auth_sessions.live_session(
        session=session, session_id=claims.session_id, now=now or utcnow()
    )
    if found is None:
        return None
    row, user = found
    if user.id is None or str(user.id) != claims.subject:
        return None
    if not _issued_after_password_change(row, claims, user):
        return None
    return TokenUser(user=user, session_id=claims.session_id)


def whoami(
    *, session: Session, token: str, now: dt.datetime | None = None
) -> tuple[TokenUser, bool] | None:
    """`check_token`, and whether the user has 2FA on: GET /users/me/ in one transaction."""
    found = check_token(session=session, token=token, now=now)
    if found is None:
        return None
    return found, mfa_store.is_enabled(session, found.user)


def revoke_token_session(*, session: Session, token_user: TokenUser, ip: str = "") -> None:
    """Log out: end the session the token is bound to, and with it the token."""
    session_ends.end(session=session, session_id=token_user.session_id, ip=ip)
