"""What an administrator does to an account (console, REST or CLI), each with a reason.

The reason and the acting administrator go into the audit entry of every change. The last
active administrator can't be disabled, demoted or deleted, by anyone (themselves included).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from nfp_app.models import AuthSession, User
from nfp_app.security import policy
from nfp_app.services import account_changes, audit, password_reset, session_ends
from nfp_app.services.accounts import AccountError, UserNotFoundError

# The audit detail holds 255 characters: the reason, "by <admin>" and the labels fit.
REASON_MAX_LENGTH = 160
# Bulk actions work on the rows of one console page.
MAX_BULK = 200


class ReasonError(AccountError):
    """The reason is missing, too long or not plain text."""

    field = "reason"


class NoEmailError(AccountError):
    """A password-reset email was asked for an account without an address."""

    def __init__(self) -> None:
        super().__init__("This account has no email address to send a reset link to.")


class SessionNotFoundError(AccountError):
    """No live session of this user has that id."""

    def __init__(self) -> None:
        super().__init__("That session has already ended.")


@dataclass(frozen=True, slots=True)
class Acting:
    """Who acts (an admin's username or cli:<os user>) and from where, for the audit log."""

    actor: str
    ip: str = ""


@dataclass(frozen=True, slots=True)
class BulkResult:
    """What a bulk action did: the usernames changed, and those refused with the reason why."""

    done: list[str] = field(default_factory=list[str])
    refused: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])


def check_reason(reason: str | None, *, required: bool = True) -> str:
    """The reason as stored: one trimmed line; raises ReasonError when unusable."""
    text = " ".join((reason or "").split())
    if not text:
        if required:
            raise ReasonError("Give a reason: it goes into the audit log.")
        return ""
    if len(text) > REASON_MAX_LENGTH:
        raise ReasonError(f"Keep the reason under {REASON_MAX_LENGTH + 1} characters.")
    if not policy.is_plain_text(text):
        raise ReasonError("The reason may contain only printable text.")
    return text


def _note(reason: str) -> str:
    return f"reason: {reason}" if reason else ""


def update_status(
    *,
    session: Session,
    user_id: int,
    active: bool | None = None,
    admin: bool | None = None,
    reason: str | None,
    acting: Acting,
    reason_required: bool = True,
) -> User:
    """Enable/disable and promote/demote; disabling or demoting ends the user's sessions."""
    note = _note(check_reason(reason, required=reason_required))
    return account_changes.update_status(
        session=session,
        user_id=user_id,
        active=active,
        admin=admin,
        actor=acting.actor,
        ip=acting.ip,
        note=note,
    )


def revoke_sessions(*, session: Session, user_id: int, reason: str, acting: Acting) -> User:
    """End every session and token of the user."""
    note = _note(check_reason(reason))
    return account_changes.revoke_sessions(
        session=session, user_id=user_id, actor=acting.actor, ip=acting.ip, note=note
    )


def revoke_session(
    *, session: Session, user_id: int, session_id: int, reason: str, acting: Acting
) -> User:
    """End one session of the user; SessionNotFoundError when it is not theirs or over."""
    note = _note(check_reason(reason))
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFoundError()
    row = session.exec(
        select(AuthSession).where(
            col(AuthSession.id) == session_id,
            col(AuthSession.user_id) == user_id,
            col(AuthSession.revoked_at).is_(None),
        )
    ).first()
    if row is None:
        raise SessionNotFoundError()
    session_ends.revoke(session=session, session_id=session_id)
    detail = " ".join(part for part in (f"session {session_id}", note) if part)
    audit.record_change(
        session, "session_revoke", user, actor=acting.actor, ip=acting.ip, note=detail
    )
    session.flush()
    return user


def send_password_reset(*, session: Session, user_id: int, reason: str, acting: Acting) -> User:
    """Mail the account a fresh reset link (older links stop working)."""
    note = _note(check_reason(reason))
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFoundError()
    if not user.email:
        raise NoEmailError()
    password_reset.send_link(session=session, user=user)
    audit.record_change(
        session, "password_reset_request", user, actor=acting.actor, ip=acting.ip, note=note
    )
    session.flush()
    return user


def delete_user(*, session: Session, user_id: int, reason: str, acting: Acting) -> str:
    """Delete the account for good; returns its username."""
    note = _note(check_reason(reason))
    user = session.get(User, user_id)
    if user is None:
        raise UserNotFoundError()
    username = user.username
    account_changes.delete_user(
        session=session, user_id=user_id, actor=acting.actor, ip=acting.ip, note=note
    )
    return username


def _bulk(
    session: Session, user_ids: Sequence[int], reason: str, acting: Acting, *, disable: bool
) -> BulkResult:
    where = {"actor": acting.actor, "ip": acting.ip, "note": _note(check_reason(reason))}
    if len(user_ids) > MAX_BULK:
        raise AccountError(f"Select at most {MAX_BULK} accounts at a time.")
    result = BulkResult()
    users = session.exec(select(User).where(col(User.id).in_(list(user_ids)))).all()
    for user in sorted(users, key=lambda user: user.id or 0):
        assert user.id is not None
        if disable and not user.is_active:
            continue  # already disabled: nothing to change, nothing to audit
        try:
            if disable:
                account_changes.set_active(session=session, user_id=user.id, active=False, **where)
            else:
                account_changes.revoke_sessions(session=session, user_id=user.id, **where)
        except AccountError as error:
            result.refused.append((user.username, error.message))
        else:
            result.done.append(user.username)
    return result


def bulk_disable(
    *, session: Session, user_ids: Sequence[int], reason: str, acting: Acting
) -> BulkResult:
    """Disable these accounts (already disabled ones are left alone); the last admin is refused."""
    return _bulk(session, user_ids, reason, acting, disable=True)


def bulk_revoke(
    *, session: Session, user_ids: Sequence[int], reason: str, acting: Acting
) -> BulkResult:
    """End every session of these accounts."""
    return _bulk(session, user_ids, reason, acting, disable=False)
