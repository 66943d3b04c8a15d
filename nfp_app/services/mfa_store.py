"""The stored second factor: the encrypted TOTP secret and the hashed recovery codes.

Using a code is one conditional UPDATE, so of two concurrent uses only one succeeds: a TOTP
step only moves forward, a recovery code goes from unused to used once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from sqlmodel import Session, col, delete, func, select, update

from nfp_app.infra.settings import get_settings
from nfp_app.models import MfaChallenge, RecoveryCode, TotpCredential, User
from nfp_app.security import recovery_codes, secret_box, totp

Factor = Literal["totp", "recovery_code"]


def _master() -> str:
    settings = get_settings()
    return settings.mfa_encryption_key or settings.secret_key


def _box_key() -> bytes:
    return secret_box.derive_key(_master(), info="nfp_app totp secret v1")


def _code_key() -> bytes:
    return secret_box.derive_key(_master(), info="nfp_app recovery code v1")


def _context(user_id: int) -> str:
    # Binds the sealed secret to its owner: copied into another user's row, it does not open.
    return f"totp_credential user {user_id}"


def seal_secret(secret: str, *, user_id: int) -> str:
    """The stored form of a TOTP secret."""
    return secret_box.seal(secret, key=_box_key(), context=_context(user_id))


def open_secret(credential: TotpCredential) -> str:
    """The TOTP secret of a credential; secret_box.SecretBoxError under the wrong key."""
    return secret_box.open_sealed(
        credential.secret_encrypted, key=_box_key(), context=_context(credential.user_id)
    )


def credential_of(session: Session, user_id: int) -> TotpCredential | None:
    """The user's credential, pending or confirmed."""
    return session.exec(select(TotpCredential).where(TotpCredential.user_id == user_id)).first()


def confirmed_credential(session: Session, user_id: int) -> TotpCredential | None:
    """The user's credential once enrolment is complete."""
    found = credential_of(session, user_id)
    return found if found is not None and found.confirmed_at is not None else None


def is_enabled(session: Session, user: User) -> bool:
    """Whether the user signs in with a second factor."""
    assert user.id is not None
    return confirmed_credential(session, user.id) is not None


def enabled_among(session: Session, user_ids: Sequence[int]) -> set[int]:
    """Which of these users have 2FA on (for the console's lists)."""
    query = select(TotpCredential.user_id).where(
        col(TotpCredential.user_id).in_(list(user_ids)),
        col(TotpCredential.confirmed_at).is_not(None),
    )
    return set(session.exec(query).all())


def codes_left(session: Session, user_id: int) -> int:
    """How many unused recovery codes the user has."""
    query = select(func.count()).where(
        col(RecoveryCode.user_id) == user_id, col(RecoveryCode.used_at).is_(None)
    )
    return session.exec(query).one()


def replace_codes(session: Session, user_id: int, *, now: dt.datetime) -> list[str]:
    """A new set of recovery codes, in plain text for showing once; the old set is void."""
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = recovery_codes.new_codes()
    key = _code_key()
    for code in codes:
        normal = recovery_codes.normalise(code)
        assert normal is not None
        digest = recovery_codes.digest(normal, key=key)
        session.add(RecoveryCode(user_id=user_id, code_hash=digest, created_at=now))
    session.flush()
    return codes


def use_totp(session: Session, credential: TotpCredential, code: str, *, now: dt.datetime) -> bool:
    """Accept a TOTP code once: its step must be newer than the last one accepted."""
    step = totp.match_step(
        open_secret(credential), code, now=now, last_step=credential.last_used_step
    )
    if step is None:
        return False
    moved = session.exec(
        update(TotpCredential)
        .where(
            col(TotpCredential.id) == credential.id,
            col(TotpCredential.last_used_step).is_(None)
            | (col(TotpCredential.last_used_step) < step),
        )
        .values(last_used_step=step)
    )
    session.refresh(credential)
    return moved.rowcount == 1


def use_recovery_code(session: Session, user_id: int, typed: str, *, now: dt.datetime) -> bool:
    """Use up one unused recovery code of the user; False if none matches."""
    normal = recovery_codes.normalise(typed)
    if normal is None:
        return False
    used = session.exec(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user_id,
            col(RecoveryCode.code_hash) == recovery_codes.digest(normal, key=_code_key()),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=now)
    )
    return used.rowcount >= 1


def use_code(session: Session, user_id: int, code: str, *, now: dt.datetime) -> Factor | None:
    """Accept a TOTP code or a recovery code of a user with 2FA on; which one, or None."""
    credential = confirmed_credential(session, user_id)
    if credential is None:
        return None
    if recovery_codes.looks_like_recovery_code(code):
        return "recovery_code" if use_recovery_code(session, user_id, code, now=now) else None
    return "totp" if use_totp(session, credential, code, now=now) else None


def remove_all(session: Session, user_id: int) -> None:
    """Turn 2FA off: the credential, the recovery codes and pending second steps go."""
    session.exec(delete(MfaChallenge).where(col(MfaChallenge.user_id) == user_id))
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    session.exec(delete(TotpCredential).where(col(TotpCredential.user_id) == user_id))
    session.flush()
