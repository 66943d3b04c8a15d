"""What signed-in users change on their own account: password, email, deletion.

Every change that needs the current password checks it like a sign-in, so a wrong one counts
against the same throttling limits.
"""

from __future__ import annotations

from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.models import User
from nfp_app.security import policy
from nfp_app.services import account_changes, accounts, signin
from nfp_app.services.email_verification import start_verification


class WrongPasswordError(accounts.AccountError):
    """The current password given to confirm a change is wrong."""

    field = "current"

    def __init__(self) -> None:
        super().__init__("The current password is wrong.")


class ConfirmationError(accounts.AccountError):
    """The typed confirmation does not match."""

    field = "confirmation"

    def __init__(self) -> None:
        super().__init__("Type your username exactly to confirm.")


class TooManyAttemptsError(accounts.AccountError):
    """Too many wrong passwords lately; nothing was checked."""

    field = "current"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many attempts, try again in {retry_after} s.")
        self.retry_after = retry_after


def confirm_password(
    session: Session, user: User, password: str, *, ip: str, user_agent: str
) -> None:
    """Check the current password like a sign-in (throttled, audited), or raise."""
    result = signin.attempt(
        session=session, username=user.username, password=password, ip=ip, user_agent=user_agent
    )
    if isinstance(result, signin.Throttled):
        raise TooManyAttemptsError(result.retry_after)
    if not isinstance(result, User) or result.id != user.id:
        raise WrongPasswordError()


class PasswordExistsError(accounts.AccountError):
    """The account has a password already: changing it needs the current one."""

    field = "new"

    def __init__(self) -> None:
        super().__init__("This account has a password already: change it instead.")


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise accounts.UserNotFoundError()
    return user


def change_password(
    *,
    session: Session,
    user_id: int,
    current: str,
    new: str,
    keep_session_id: int | None,
    ip: str = "",
    user_agent: str = "",
) -> User:
    """A new password; this session stays, every other one and every older token ends."""
    user = _user(session, user_id)
    confirm_password(session, user, current, ip=ip, user_agent=user_agent)
    return account_changes.set_password(
        session=session,
        user_id=user_id,
        password=new,
        actor=user.username,
        ip=ip,
        user_agent=user_agent,
        keep_session_id=keep_session_id,
    )


def set_password(
    *,
    session: Session,
    user: User,
    new_password: str,
    keep_session_id: int | None = None,
    ip: str = "",
    user_agent: str = "",
) -> User:
    """A first password for a passkey-only account; the caller re-authenticated it with a
    passkey (passkey_ceremonies.finish_reauth). Refused when a password exists."""
    assert user.id is not None
    current = _user(session, user.id)
    if accounts.has_password(current):
        raise PasswordExistsError()
    return account_changes.set_password(
        session=session,
        user_id=user.id,
        password=new_password,
        actor=current.username,
        ip=ip,
        user_agent=user_agent,
        keep_session_id=keep_session_id,
    )


def change_email(
    *, session: Session, user_id: int, password: str, email: str, ip: str = "", user_agent: str = ""
) -> bool:
    """A new email address; True when it counts at once, False when a link must confirm it."""
    user = _user(session, user_id)
    confirm_password(session, user, password, ip=ip, user_agent=user_agent)
    address = policy.check_email(email)
    if address is None:
        raise policy.PolicyError("email", "Enter an email address.")
    if accounts.find_by_email(session=session, email=address) not in (None, user):
        raise accounts.EmailTakenError()
    old = user.email or ""
    if get_settings().require_email_verification:
        start_verification(session=session, user=user, email=address)
        confirmed = False
    else:
        account_changes.set_email(session=session, user=user, email=address, verified=False)
        confirmed = True
    account_changes.notify_email_change(
        session=session, user=user, old_email=old, new_email=address, ip=ip, user_agent=user_agent
    )
    return confirmed


def delete_own_account(
    *,
    session: Session,
    user_id: int,
    password: str,
    confirmation: str,
    ip: str = "",
    user_agent: str = "",
) -> None:
    """Delete the account after the password and the typed username; audit rows stay."""
    user = _user(session, user_id)
    confirm_password(session, user, password, ip=ip, user_agent=user_agent)
    if confirmation.strip() != user.username:
        raise ConfirmationError()
    account_changes.delete_user(session=session, user_id=user_id, actor=user.username, ip=ip)
