"""Changes to existing accounts: password, status, role, sessions and deletion.

Shared by the REST API and the CLI; keyword-only, no web imports, like accounts.py.
"""

from __future__ import annotations

from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.models import User, utcnow
from nfp_app.security import policy
from nfp_app.services import audit, notices, session_ends
from nfp_app.services.accounts import AccountError, UserNotFoundError, count_admins, hash_for


class LastAdminError(AccountError):
    """The change would leave no active administrator."""

    def __init__(self) -> None:
        super().__init__(
            "That would leave no active administrator: this is the last one. "
            "Make another account an administrator first."
        )


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
    *,
    session: Session,
    user_id: int,
    password: str,
    actor: str = "",
    ip: str = "",
    user_agent: str = "",
    keep_session_id: int | None = None,
) -> User:
    """Replace a password; every session (but `keep_session_id`) and token stops working,
    earlier email links too, and the owner is told by email."""
    user = _require_user(session, user_id)
    secret = policy.check_password(
        password,
        username=user.username,
        email=user.email,
        min_length=get_settings().password_min_length,
    )
    now = utcnow()
    user.hashed_password = hash_for(secret)
    user.password_changed_at = now
    session.add(user)
    session_ends.revoke_all(session=session, user_id=user_id, now=now, keep=keep_session_id)
    audit.record_change(session, "password_change", user, actor=actor, ip=ip, user_agent=user_agent)
    notices.password_changed(session=session, user=user, ip=ip, user_agent=user_agent, now=now)
    session.flush()
    return user


def set_email(*, session: Session, user: User, email: str | None, verified: bool) -> User:
    """Store a new (already checked) address; `verified` when a link confirmed it."""
    user.email = email
    user.email_verified_at = utcnow() if verified and email else None
    session.add(user)
    session.flush()
    return user


def notify_email_change(
    *, session: Session, user: User, old_email: str, new_email: str, ip: str, user_agent: str
) -> None:
    """Audit an email change and tell the old address about it."""
    audit.record_change(
        session, "email_change", user, ip=ip, user_agent=user_agent, note=f"to {new_email}"
    )
    notices.email_changed(
        session=session,
        user=user,
        old_email=old_email,
        new_email=new_email,
        ip=ip,
        user_agent=user_agent,
    )


def set_active(
    *, session: Session, user_id: int, active: bool, actor: str = "", ip: str = "", note: str = ""
) -> User:
    """Enable or disable an account; disabling ends all its auth_sessions."""
    user = _require_user(session, user_id)
    if not active:
        _guard_last_admin(session, user)
        session_ends.revoke_all(session=session, user_id=user_id)
    user.is_active = active
    session.add(user)
    audit.record_change(
        session, "user_enable" if active else "user_disable", user, actor=actor, ip=ip, note=note
    )
    session.flush()
    return user


def set_admin(
    *, session: Session, user_id: int, admin: bool, actor: str = "", ip: str = "", note: str = ""
) -> User:
    """Grant or withdraw administrator rights; withdrawing them ends the account's sessions."""
    user = _require_user(session, user_id)
    if not admin and user.is_admin:
        _guard_last_admin(session, user)
        # Open console tabs lose access at once (the sign-out push); the next sign-in is a user's.
        session_ends.revoke_all(session=session, user_id=user_id)
    user.is_admin = admin
    session.add(user)
    audit.record_change(
        session, "user_promote" if admin else "user_demote", user, actor=actor, ip=ip, note=note
    )
    session.flush()
    return user


def update_status(
    *,
    session: Session,
    user_id: int,
    active: bool | None = None,
    admin: bool | None = None,
    actor: str = "",
    ip: str = "",
    note: str = "",
) -> User:
    """Change whether an account is active and whether it is an administrator, in one go."""
    user = _require_user(session, user_id)
    where = {"actor": actor, "ip": ip, "note": note}
    if active is not None:
        user = set_active(session=session, user_id=user_id, active=active, **where)
    if admin is not None:
        user = set_admin(session=session, user_id=user_id, admin=admin, **where)
    return user


def revoke_sessions(
    *, session: Session, user_id: int, actor: str = "", ip: str = "", note: str = ""
) -> User:
    """End every session and token of a user; they must sign in again."""
    user = _require_user(session, user_id)
    session_ends.revoke_all(session=session, user_id=user_id)
    audit.record_change(session, "sessions_revoke", user, actor=actor, ip=ip, note=note)
    session.flush()
    return user


def delete_user(
    *, session: Session, user_id: int, actor: str = "", ip: str = "", note: str = ""
) -> None:
    """Delete an account; its sessions go with it (ON DELETE CASCADE)."""
    user = _require_user(session, user_id)
    _guard_last_admin(session, user)
    # Revoke explicitly too: SQLite enforces the cascade only with foreign keys switched on.
    session_ends.revoke_all(session=session, user_id=user_id)
    # Written before the delete; the foreign key then turns user_id to NULL, the name stays.
    audit.record_change(session, "user_delete", user, actor=actor, ip=ip, note=note)
    session.flush()
    session.delete(user)
    session.flush()
