"""The passkeys of an account: list, rename, remove (never the last one of a passwordless
account). Every change is audited and mailed to the owner."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from nfp_app.models import PasskeyCredential, User
from nfp_app.security import policy
from nfp_app.services import accounts, audit, passkey_notices
from nfp_app.services.passkey_results import Refused

NAME_MAX_LENGTH = 64
DEFAULT_NAME = "Passkey"
NOT_FOUND = "That passkey does not exist (any more)."
LAST_PASSKEY = (
    "This is the only way to sign in to your account: set a password or add another passkey "
    "before you remove it."
)


class PasskeyView(BaseModel):
    """What the account page and GET /users/me/passkeys show of one passkey."""

    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None
    # Backup eligible: a synced (multi-device) passkey, e.g. in iCloud Keychain or a manager.
    synced: bool
    # Backup state: the passkey is currently backed up by its provider.
    backed_up: bool
    transports: list[str]
    aaguid: str

    @classmethod
    def of(cls, row: PasskeyCredential) -> PasskeyView:
        """The view of a stored credential."""
        assert row.id is not None
        return cls(
            id=row.id,
            name=row.name,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            synced=row.backup_eligible,
            backed_up=row.backup_state,
            transports=[part for part in row.transports.split(",") if part],
            aaguid=row.aaguid,
        )


def check_name(name: str) -> str | Refused:
    """The name to store (trimmed, "Passkey" when blank), or why it cannot be one."""
    if not isinstance(name, str):
        return Refused("Give the passkey a name.")
    cleaned = " ".join(name.split())
    if not cleaned:
        return DEFAULT_NAME
    if len(cleaned) > NAME_MAX_LENGTH or not policy.is_plain_text(cleaned):
        return Refused(f"A passkey name is plain text of at most {NAME_MAX_LENGTH} characters.")
    return cleaned


def credentials_of(*, session: Session, user: User) -> list[PasskeyCredential]:
    """The user's stored credentials, newest first."""
    query = (
        select(PasskeyCredential)
        .where(col(PasskeyCredential.user_id) == user.id)
        .order_by(col(PasskeyCredential.created_at).desc(), col(PasskeyCredential.id).desc())
    )
    return list(session.exec(query).all())


def list_passkeys(*, session: Session, user: User) -> list[PasskeyView]:
    """The user's passkeys, newest first."""
    return [PasskeyView.of(row) for row in credentials_of(session=session, user=user)]


def has_passkeys(*, session: Session, user: User) -> bool:
    """Whether the user has at least one passkey."""
    return _count(session, user) > 0


def _count(session: Session, user: User) -> int:
    query = (
        select(func.count())
        .select_from(PasskeyCredential)
        .where(col(PasskeyCredential.user_id) == user.id)
    )
    return int(session.exec(query).one())


def _own(session: Session, user: User, passkey_id: int) -> PasskeyCredential | None:
    row = session.get(PasskeyCredential, passkey_id)
    return row if row is not None and row.user_id == user.id else None


def rename_passkey(
    *,
    session: Session,
    user: User,
    passkey_id: int,
    name: str,
    now: dt.datetime,
    ip: str = "",
    user_agent: str = "",
) -> PasskeyView | Refused:
    """Give one of the user's passkeys a new name."""
    row = _own(session, user, passkey_id)
    if row is None:
        return Refused(NOT_FOUND)
    checked = check_name(name)
    if isinstance(checked, Refused):
        return checked
    old_name, row.name = row.name, checked
    session.add(row)
    session.flush()
    audit.record_change(
        session, "passkey_rename", user, ip=ip, user_agent=user_agent, note=f"passkey {row.id}"
    )
    passkey_notices.renamed(
        session=session,
        user=user,
        old_name=old_name,
        name=checked,
        ip=ip,
        user_agent=user_agent,
        now=now,
    )
    return PasskeyView.of(row)


def remove_passkey(
    *,
    session: Session,
    user: User,
    passkey_id: int,
    now: dt.datetime,
    ip: str = "",
    user_agent: str = "",
) -> Refused | None:
    """Remove one of the user's passkeys, unless it is all a passwordless account has left."""
    # Lock the user's row so two concurrent removals cannot both see "one more is left".
    session.exec(select(User.id).where(col(User.id) == user.id).with_for_update())
    row = _own(session, user, passkey_id)
    if row is None:
        return Refused(NOT_FOUND)
    if not accounts.has_password(user) and _count(session, user) <= 1:
        return Refused(LAST_PASSKEY)
    name = row.name
    session.delete(row)
    session.flush()
    audit.record_change(
        session, "passkey_remove", user, ip=ip, user_agent=user_agent, note=f"passkey {passkey_id}"
    )
    passkey_notices.removed(
        session=session, user=user, name=name, ip=ip, user_agent=user_agent, now=now
    )
    return None
