"""What an administrator does to accounts, on real databases: reasons, refusals, audit entries."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from nfp_app.models import AuthEvent, AuthSession, MailMessage, User, utcnow
from nfp_app.services import accounts, admin_actions, auth_sessions
from nfp_app.services.account_changes import LastAdminError
from nfp_app.services.admin_actions import (
    REASON_MAX_LENGTH,
    Acting,
    NoEmailError,
    ReasonError,
    SessionNotFoundError,
)
from nfp_app.services.admin_user_detail import live_sessions
from tests.support.accounts import PASSWORD

ACTING = Acting(actor="root", ip="192.0.2.9")


def _user(session: Session, name: str, *, email: str | None = None, admin: bool = False) -> User:
    user = accounts.create_user(
        session=session, username=name, password=PASSWORD, email=email, is_admin=admin
    )
    session.commit()
    return user


def _id(user: User) -> int:
    assert user.id is not None
    return user.id


def _sign_in(session: Session, user: User) -> int:
    started = auth_sessions.start_browser_session(
        session=session, user=user, persistent=False, binding="b" * 43, ip="192.0.2.1"
    )
    session.commit()
    return started.session_id


def _last_event(session: Session, event: str) -> AuthEvent:
    row = session.exec(
        select(AuthEvent).where(AuthEvent.event == event).order_by(col(AuthEvent.id).desc())
    ).first()
    assert row is not None, event
    return row


def _live(session: Session, user: User) -> list[int]:
    session.expire_all()
    return [row.id for row in live_sessions(session=session, user_id=_id(user), now=utcnow())]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("  too many\tlogins  ", "too many logins"),
        ("line one\nline two\r\n", "line one line two"),
        ("x" * REASON_MAX_LENGTH, "x" * REASON_MAX_LENGTH),
        ("Ünïcode ✓ fine", "Ünïcode ✓ fine"),
    ],
)
def test_reasons_are_trimmed_to_one_line(given: str, stored: str) -> None:
    assert admin_actions.check_reason(given) == stored


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "Give a reason"),
        ("   \n\t ", "Give a reason"),
        (None, "Give a reason"),
        ("x" * (REASON_MAX_LENGTH + 1), f"under {REASON_MAX_LENGTH + 1} characters"),
        ("bad\x00byte", "only printable text"),
        ("hidden\u200bjoiner", "only printable text"),
    ],
)
def test_unusable_reasons_are_refused(given: str | None, message: str) -> None:
    with pytest.raises(ReasonError) as refused:
        admin_actions.check_reason(given)
    assert message in refused.value.message
    assert refused.value.field == "reason"


def test_reason_optional_only_when_asked() -> None:
    assert admin_actions.check_reason("  ", required=False) == ""
    with pytest.raises(ReasonError):
        admin_actions.check_reason("x" * 500, required=False)


def test_every_action_needs_a_reason_and_changes_nothing_without(session: Session) -> None:
    _user(session, "root", admin=True)
    bob = _user(session, "bob", email="bob@example.com")
    live = _sign_in(session, bob)
    calls = [
        (admin_actions.update_status, {"active": False}),
        (admin_actions.update_status, {"admin": True}),
        (admin_actions.revoke_sessions, {}),
        (admin_actions.revoke_session, {"session_id": live}),
        (admin_actions.send_password_reset, {}),
        (admin_actions.delete_user, {}),
    ]
    for action, arguments in calls:
        with pytest.raises(ReasonError):
            action(session=session, user_id=_id(bob), reason=" ", acting=ACTING, **arguments)
    session.rollback()
    session.expire_all()
    stored = session.get(User, _id(bob))
    assert stored is not None
    assert (stored.is_active, stored.is_admin) == (True, False)
    assert _live(session, bob) == [live]
    assert session.exec(select(MailMessage)).all() == []


def test_reason_and_admin_go_into_the_audit_entry(session: Session) -> None:
    _user(session, "root", admin=True)
    bob = _user(session, "bob")
    admin_actions.update_status(
        session=session, user_id=_id(bob), active=False, reason="  spam \n wave ", acting=ACTING
    )
    session.commit()
    entry = _last_event(session, "user_disable")
    assert (entry.user_id, entry.username, entry.ip) == (bob.id, "bob", "192.0.2.9")
    assert entry.detail == "reason: spam wave by root"


def test_bulk_disable_refuses_the_last_admin(session: Session) -> None:
    root = _user(session, "root", admin=True)
    users = [_user(session, f"user{i}") for i in range(3)]
    result = admin_actions.bulk_disable(
        session=session,
        user_ids=[_id(root), *(_id(u) for u in users)],
        reason="cleanup",
        acting=ACTING,
    )
    session.commit()
    assert result.done == ["user0", "user1", "user2"]
    assert result.refused == [("root", LastAdminError().message)]
    session.expire_all()
    assert session.get(User, _id(root)).is_active is True  # type: ignore[union-attr]
    assert all(session.get(User, _id(u)).is_active is False for u in users)  # type: ignore[union-attr]
    # Already disabled accounts are left alone the next time.
    again = admin_actions.bulk_disable(
        session=session, user_ids=[_id(u) for u in users], reason="again", acting=ACTING
    )
    assert (again.done, again.refused) == ([], [])


def test_bulk_is_limited_and_needs_a_reason(session: Session) -> None:
    with pytest.raises(accounts.AccountError) as refused:
        admin_actions.bulk_revoke(
            session=session,
            user_ids=list(range(1, admin_actions.MAX_BULK + 2)),
            reason="too many",
            acting=ACTING,
        )
    assert f"at most {admin_actions.MAX_BULK}" in refused.value.message
    with pytest.raises(ReasonError):
        admin_actions.bulk_disable(session=session, user_ids=[1], reason="", acting=ACTING)


def test_revoke_session_of_another_user_is_refused(session: Session) -> None:
    _user(session, "root", admin=True)
    alice, bob = _user(session, "alice"), _user(session, "bob")
    alices = _sign_in(session, alice)
    bobs = _sign_in(session, bob)
    with pytest.raises(SessionNotFoundError):
        admin_actions.revoke_session(
            session=session, user_id=_id(bob), session_id=alices, reason="x", acting=ACTING
        )
    session.rollback()
    assert _live(session, alice) == [alices]
    admin_actions.revoke_session(
        session=session, user_id=_id(bob), session_id=bobs, reason="stolen laptop", acting=ACTING
    )
    session.commit()
    assert _live(session, bob) == []
    entry = _last_event(session, "session_revoke")
    assert entry.user_id == bob.id
    assert entry.detail == f"session {bobs} reason: stolen laptop by root"
    # Ended already, or no such session at all: the same refusal.
    for session_id in (bobs, 0, 999_999):
        with pytest.raises(SessionNotFoundError) as refused:
            admin_actions.revoke_session(
                session=session, user_id=_id(bob), session_id=session_id, reason="x", acting=ACTING
            )
        assert refused.value.message == "That session has already ended."
    row = session.get(AuthSession, alices)
    assert row is not None
    assert row.revoked_at is None


def test_password_reset_needs_an_email(session: Session) -> None:
    _user(session, "root", admin=True)
    nomail = _user(session, "nomail")
    with pytest.raises(NoEmailError) as refused:
        admin_actions.send_password_reset(
            session=session, user_id=_id(nomail), reason="forgot", acting=ACTING
        )
    assert "no email address" in refused.value.message
    session.rollback()
    assert session.exec(select(MailMessage)).all() == []
    mailed = _user(session, "mailed", email="mailed@example.com")
    admin_actions.send_password_reset(
        session=session, user_id=_id(mailed), reason="locked out", acting=ACTING
    )
    session.commit()
    [message] = session.exec(select(MailMessage)).all()
    assert message.to_address == "mailed@example.com"
    assert message.template == "password_reset"
    assert _last_event(session, "password_reset_request").detail == "reason: locked out by root"


def test_unknown_accounts_are_refused(session: Session) -> None:
    for action in (
        admin_actions.send_password_reset,
        admin_actions.delete_user,
        admin_actions.revoke_sessions,
    ):
        with pytest.raises(accounts.UserNotFoundError):
            action(session=session, user_id=424_242, reason="x", acting=ACTING)
    with pytest.raises(accounts.UserNotFoundError):
        admin_actions.revoke_session(
            session=session, user_id=424_242, session_id=1, reason="x", acting=ACTING
        )


def test_the_last_admin_cannot_remove_themselves(session: Session) -> None:
    root = _user(session, "root", admin=True)
    for action, arguments in (
        (admin_actions.update_status, {"active": False}),
        (admin_actions.update_status, {"admin": False}),
        (admin_actions.delete_user, {}),
    ):
        with pytest.raises(LastAdminError):
            action(session=session, user_id=_id(root), reason="bye", acting=ACTING, **arguments)
        session.rollback()
    session.expire_all()
    stored = session.get(User, _id(root))
    assert stored is not None
    assert (stored.is_active, stored.is_admin) == (True, True)
