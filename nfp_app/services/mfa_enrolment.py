"""A user's own two-factor authentication: set it up, confirm it, new recovery codes, off.

Every change needs the password again (or, to start a set-up, a sign-in within five minutes).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.models import TotpCredential, User, utcnow
from nfp_app.security import totp
from nfp_app.services import audit, mfa_notices, mfa_store, mfa_verify, throttle
from nfp_app.services.accounts import UserNotFoundError
from nfp_app.services.mfa_errors import (
    AlreadyEnabledError,
    CodeThrottledError,
    Enrolment,
    MfaStatus,
    NoPendingEnrolmentError,
    NotEnabledError,
    ReauthenticationRequiredError,
    WrongCodeError,
)
from nfp_app.services.my_account import confirm_password
from nfp_app.services.signin import Throttled

# A password typed this recently counts as confirming it again.
REAUTH_WINDOW = dt.timedelta(minutes=5)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFoundError()
    return user


def status(*, session: Session, user_id: int) -> MfaStatus:
    """Whether 2FA is on, a set-up is waiting, and how many recovery codes are left."""
    credential = mfa_store.credential_of(session, user_id)
    enabled = credential is not None and credential.confirmed_at is not None
    left = mfa_store.codes_left(session, user_id) if enabled else 0
    pending = credential is not None and not enabled
    return MfaStatus(enabled=enabled, pending=pending, recovery_codes_left=left)


def start_enrolment(
    *,
    session: Session,
    user_id: int,
    password: str | None = None,
    reauthenticated_at: dt.datetime | None = None,
    ip: str = "",
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> Enrolment:
    """A new secret waiting for its first code; any earlier unfinished set-up is replaced."""
    now = now or utcnow()
    user = _user(session, user_id)
    if reauthenticated_at is None or not now - REAUTH_WINDOW <= reauthenticated_at <= now:
        if not password:
            raise ReauthenticationRequiredError()
        confirm_password(session, user, password, ip=ip, user_agent=user_agent)
    credential = mfa_store.credential_of(session, user_id)
    if credential is not None and credential.confirmed_at is not None:
        raise AlreadyEnabledError()
    secret = totp.new_secret()
    sealed = mfa_store.seal_secret(secret, user_id=user_id)
    if credential is None:
        credential = TotpCredential(user_id=user_id, secret_encrypted=sealed, created_at=now)
    credential.secret_encrypted, credential.created_at = sealed, now
    credential.last_used_step = None
    session.add(credential)
    audit.record_change(session, "mfa_enrol", user, ip=ip, user_agent=user_agent, note="started")
    session.flush()
    uri = totp.provisioning_uri(secret, username=user.username)
    return Enrolment(secret=secret, otpauth_uri=uri, qr_svg=totp.qr_svg(uri))


def confirm_enrolment(
    *,
    session: Session,
    user_id: int,
    code: str,
    ip: str = "",
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> list[str]:
    """Turn 2FA on with a first valid code; the ten recovery codes, to show once."""
    now = now or utcnow()
    user = _user(session, user_id)
    credential = mfa_store.credential_of(session, user_id)
    if credential is None or credential.confirmed_at is not None:
        raise NoPendingEnrolmentError()
    key = mfa_verify.throttle_key(user_id)
    keep = get_settings().throttle_retention
    reserved = throttle.reserve(session=session, keys=[key], keep=keep, now=now)
    if isinstance(reserved, throttle.Refused):
        raise CodeThrottledError(reserved.retry_after)
    session.commit()
    if not mfa_store.use_totp(session, credential, code, now=now):
        audit.record(
            session=session,
            event="mfa_enable",
            outcome="failure",
            user_id=user_id,
            username=user.username,
            ip=ip,
            user_agent=user_agent,
            detail="code refused",
        )
        # The refusal raises, which rolls the transaction back: keep its count and audit.
        session.commit()
        raise WrongCodeError()
    throttle.release(session=session, reservation=reserved)
    credential.confirmed_at = now
    session.add(credential)
    codes = mfa_store.replace_codes(session, user_id, now=now)
    audit.record_change(session, "mfa_enable", user, ip=ip, user_agent=user_agent)
    mfa_notices.enabled(session=session, user=user, ip=ip, user_agent=user_agent, now=now)
    session.flush()
    return codes


def regenerate_recovery_codes(
    *,
    session: Session,
    user_id: int,
    password: str,
    ip: str = "",
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> list[str]:
    """A new set of ten recovery codes, to show once; every code of the old set is void."""
    now = now or utcnow()
    user = _user(session, user_id)
    confirm_password(session, user, password, ip=ip, user_agent=user_agent)
    if not mfa_store.is_enabled(session, user):
        raise NotEnabledError()
    codes = mfa_store.replace_codes(session, user_id, now=now)
    audit.record_change(
        session, "mfa_recovery_codes", user, ip=ip, user_agent=user_agent, note="new set"
    )
    return codes


def disable(
    *,
    session: Session,
    user_id: int,
    password: str,
    code: str,
    ip: str = "",
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Turn 2FA off with the password and a current code or a recovery code."""
    now = now or utcnow()
    user = _user(session, user_id)
    confirm_password(session, user, password, ip=ip, user_agent=user_agent)
    if not mfa_store.is_enabled(session, user):
        raise NotEnabledError()
    checked = mfa_verify.verify(
        session=session, user=user, code=code, step="disable", ip=ip, user_agent=user_agent, now=now
    )
    if isinstance(checked, Throttled):
        raise CodeThrottledError(checked.retry_after)
    if isinstance(checked, mfa_verify.CodeRefused):
        raise WrongCodeError()
    mfa_store.remove_all(session, user_id)
    audit.record_change(session, "mfa_disable", user, ip=ip, user_agent=user_agent)
    mfa_notices.disabled(session=session, user=user, ip=ip, user_agent=user_agent, now=now)
    session.flush()
