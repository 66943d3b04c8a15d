"""Account operations shared by the pages, the REST API and the CLI.

Every function takes an open database session and keyword-only arguments. Hashing is slow
on purpose, so async callers run these functions with `asyncio.to_thread`.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from nfp_app import audit, sessions
from nfp_app.models import User, utcnow
from nfp_app.security import passwords, policy
from nfp_app.settings import get_settings


class AccountError(Exception):
    """A refused account operation; `field` names the form field, the text is for people."""

    field = "form"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsernameTakenError(AccountError):
    """Another account already has this username (compared case-insensitively)."""

    field = "username"

    def __init__(self) -> None:
        super().__init__("That username is already taken.")


class EmailTakenError(AccountError):
    """Another account already uses this email address."""

    field = "email"

    def __init__(self) -> None:
        super().__init__("That email address is already in use.")


class UserNotFoundError(AccountError):
    """No account matches."""

    def __init__(self) -> None:
        super().__init__("No such user.")


def _rounds() -> int:
    return get_settings().bcrypt_rounds


def _audit(
    session: Session,
    event: audit.Event,
    user: User,
    *,
    actor: str = "",
    ip: str = "",
    note: str = "",
) -> None:
    detail = " ".join(part for part in (note, f"by {actor}" if actor else "") if part)
    audit.record(
        session=session,
        event=event,
        outcome="success",
        user_id=user.id,
        username=user.username,
        ip=ip,
        detail=detail,
    )


def find_by_username(*, session: Session, username: str) -> User | None:
    """The account whose normalised username matches, if any."""
    key = policy.normalize_username(username)
    return session.exec(select(User).where(User.username_key == key)).first()


def get_user(*, session: Session, user_id: int) -> User | None:
    """The account with this id, if any."""
    return session.get(User, user_id)


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    email: str | None = None,
    is_admin: bool = False,
    actor: str = "",
    ip: str = "",
) -> User:
    """Validate, hash and store a new account; raises PolicyError or AccountError."""
    name = policy.check_username(username)
    address = policy.check_email(email)
    secret = policy.check_password(
        password, username=name, email=address, min_length=get_settings().password_min_length
    )
    key = policy.normalize_username(name)
    if session.exec(select(User.id).where(User.username_key == key)).first() is not None:
        raise UsernameTakenError()
    if address is not None and _email_in_use(session, address):
        raise EmailTakenError()
    user = User(
        username=name,
        username_key=key,
        email=address,
        hashed_password=passwords.hash_password(secret, rounds=_rounds()),
        is_admin=is_admin,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        # A concurrent signup won the race between our check and our insert.
        session.rollback()
        if find_by_username(session=session, username=name) is not None:
            raise UsernameTakenError() from None
        if address is not None and _email_in_use(session, address):
            raise EmailTakenError() from None
        raise
    _audit(session, "signup", user, actor=actor, ip=ip, note="administrator" if is_admin else "")
    return user


def _email_in_use(session: Session, address: str) -> bool:
    query = select(User.id).where(func.lower(col(User.email)) == address.lower())
    return session.exec(query).first() is not None


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active account these credentials open, or None; unknown names cost the same time."""
    rounds = _rounds()
    if len(password) > policy.PASSWORD_MAX_LENGTH or len(username) > 4 * policy.USERNAME_MAX_LENGTH:
        passwords.spend_dummy_verification("", rounds=rounds)
        return None
    candidate = policy.normalize_password(password)
    user = find_by_username(session=session, username=username)
    if user is None:
        passwords.spend_dummy_verification(candidate, rounds=rounds)
        return None
    valid, new_hash = passwords.verify_password(candidate, user.hashed_password, rounds=rounds)
    if not valid or not user.is_active:
        return None
    if new_hash is not None:
        user.hashed_password = new_hash
        session.add(user)
        session.flush()
    return user


def list_users(*, session: Session, offset: int, limit: int) -> tuple[list[User], int]:
    """One page of accounts in creation order, and the total count."""
    total = session.exec(select(func.count()).select_from(User)).one()
    page = session.exec(select(User).order_by(col(User.id)).offset(offset).limit(limit)).all()
    return list(page), int(total)


def count_admins(*, session: Session) -> int:
    """How many active administrators exist."""
    query = (
        select(func.count())
        .select_from(User)
        .where(col(User.is_admin).is_(True), col(User.is_active).is_(True))
    )
    return int(session.exec(query).one())


class LastAdminError(AccountError):
    """The change would leave no active administrator."""

    def __init__(self) -> None:
        super().__init__("That would leave no active administrator.")


def _require_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFoundError()
    return user


def _guard_last_admin(session: Session, user: User) -> None:
    # Refuse only when this user is the one remaining active administrator.
    if user.is_admin and user.is_active and count_admins(session=session) <= 1:
        raise LastAdminError()


def set_password(
    *, session: Session, user_id: int, password: str, actor: str = "", ip: str = ""
) -> User:
    """Replace a password; every existing session and token of the user stops working."""
    user = _require_user(session, user_id)
    secret = policy.check_password(
        password,
        username=user.username,
        email=user.email,
        min_length=get_settings().password_min_length,
    )
    now = utcnow()
    user.hashed_password = passwords.hash_password(secret, rounds=_rounds())
    user.password_changed_at = now
    session.add(user)
    sessions.revoke_all(session=session, user_id=user_id, now=now)
    _audit(session, "password_change", user, actor=actor, ip=ip)
    session.flush()
    return user


def set_active(
    *, session: Session, user_id: int, active: bool, actor: str = "", ip: str = ""
) -> User:
    """Enable or disable an account; disabling ends all its sessions."""
    user = _require_user(session, user_id)
    if not active:
        _guard_last_admin(session, user)
        sessions.revoke_all(session=session, user_id=user_id)
    user.is_active = active
    session.add(user)
    _audit(session, "user_enable" if active else "user_disable", user, actor=actor, ip=ip)
    session.flush()
    return user


def set_admin(
    *, session: Session, user_id: int, admin: bool, actor: str = "", ip: str = ""
) -> User:
    """Grant or withdraw administrator rights."""
    user = _require_user(session, user_id)
    if not admin:
        _guard_last_admin(session, user)
    user.is_admin = admin
    session.add(user)
    _audit(session, "user_promote" if admin else "user_demote", user, actor=actor, ip=ip)
    session.flush()
    return user


def revoke_sessions(*, session: Session, user_id: int, actor: str = "", ip: str = "") -> User:
    """End every session and token of a user; they must sign in again."""
    user = _require_user(session, user_id)
    sessions.revoke_all(session=session, user_id=user_id)
    _audit(session, "sessions_revoke", user, actor=actor, ip=ip)
    session.flush()
    return user


def delete_user(*, session: Session, user_id: int, actor: str = "", ip: str = "") -> None:
    """Delete an account; its sessions go with it (ON DELETE CASCADE)."""
    user = _require_user(session, user_id)
    _guard_last_admin(session, user)
    # Revoke explicitly too: SQLite enforces the cascade only with foreign keys switched on.
    sessions.revoke_all(session=session, user_id=user_id)
    # Written before the delete; the foreign key then turns user_id to NULL, the name stays.
    _audit(session, "user_delete", user, actor=actor, ip=ip)
    session.flush()
    session.delete(user)
    session.flush()
