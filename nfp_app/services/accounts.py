"""Account operations shared by the pages, the REST API and the CLI.

Every function takes an open database session and keyword-only arguments. Hashing is slow
on purpose, so async callers run these functions through `db.run`, off the event loop.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from nfp_app.infra.settings import get_settings
from nfp_app.models import User
from nfp_app.security import passwords, policy
from nfp_app.services import audit


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


def hash_for(password: str) -> str:
    """The stored form of an already validated password, at the configured cost."""
    return passwords.hash_password(password, rounds=_rounds())


def has_password(user: User) -> bool:
    """Whether the account has a password; a passkey-only account stores "" instead of a hash."""
    return user.hashed_password != ""


def find_by_username(*, session: Session, username: str) -> User | None:
    """The account whose normalised username matches, if any."""
    key = policy.normalize_username(username)
    return session.exec(select(User).where(User.username_key == key)).first()


def find_by_email(*, session: Session, email: str) -> User | None:
    """The account with this email address, compared case-insensitively, if any."""
    if not email or len(email) > policy.EMAIL_INPUT_MAX:
        return None
    query = select(User).where(func.lower(col(User.email)) == email.strip().lower())
    return session.exec(query).first()


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
    ensure_free(session, name, address)
    user = insert_user(
        session,
        name,
        address,
        hashed_password=passwords.hash_password(secret, rounds=_rounds()),
        is_admin=is_admin,
    )
    audit.record_change(
        session, "signup", user, actor=actor, ip=ip, note="administrator" if is_admin else ""
    )
    return user


def ensure_free(session: Session, name: str, address: str | None) -> None:
    """Raise UsernameTakenError or EmailTakenError if another account has either."""
    key = policy.normalize_username(name)
    if session.exec(select(User.id).where(User.username_key == key)).first() is not None:
        raise UsernameTakenError()
    if address is not None and _email_in_use(session, address):
        raise EmailTakenError()


def insert_user(
    session: Session, name: str, address: str | None, *, hashed_password: str, is_admin: bool
) -> User:
    """Add an account whose name and address were checked; a lost race raises as above."""
    key = policy.normalize_username(name)
    user = User(
        username=name,
        username_key=key,
        email=address,
        hashed_password=hashed_password,
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
    return user


def _email_in_use(session: Session, address: str) -> bool:
    query = select(User.id).where(func.lower(col(User.email)) == address.lower())
    return session.exec(query).first() is not None


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active account these credentials open, or None; unknown names cost the same time."""
    rounds = _rounds()
    if len(password) > policy.PASSWORD_MAX_LENGTH or len(username) > policy.USERNAME_INPUT_MAX:
        passwords.spend_dummy_verification("", rounds=rounds)
        return None
    candidate = policy.normalize_password(password)
    user = find_by_username(session=session, username=username)
    if user is None or not has_password(user):
        # A passkey-only account has no password: it costs and answers like an unknown name.
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


def needs_verification(user: User) -> bool:
    """Whether this account may not sign in until its email is confirmed."""
    unconfirmed = user.email is not None and user.email_verified_at is None
    return get_settings().require_email_verification and unconfirmed


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
