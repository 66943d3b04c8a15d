"""Stored mail and single-use links on real databases: delivery, retries, expiry, reuse."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from nfp_app.models import MailMessage, User, utcnow
from nfp_app.security.policy import PolicyError
from nfp_app.services import account_changes, accounts, action_tokens, mailer, password_reset
from tests.support.accounts import PASSWORD

NEW_PASSWORD = "a brand new passphrase for tests"


@pytest.fixture
def user(session: Session) -> User:
    """One account with an email address."""
    created = accounts.create_user(
        session=session, username="alice", password=PASSWORD, email="alice@example.com"
    )
    session.commit()
    return created


def _messages(session: Session) -> list[MailMessage]:
    session.expire_all()
    return list(session.exec(select(MailMessage).order_by(col(MailMessage.id))).all())


def test_a_message_is_stored_then_delivered_once(session: Session, user: User) -> None:
    password_reset.request_reset(session=session, identifier="alice", ip="192.0.2.1")
    session.commit()
    [stored] = _messages(session)
    assert (stored.to_address, stored.sent_at) == ("alice@example.com", None)
    assert "reset-password?token=" in stored.text_body
    assert 'href="http' in stored.html_body
    sent: list[str] = []
    assert mailer.deliver_due(session=session, send=lambda m: sent.append(m.subject)) == 1
    session.commit()
    assert mailer.deliver_due(session=session, send=lambda m: sent.append(m.subject)) == 0
    assert sent == ["Reset your nfp_app password"]


def test_a_failed_delivery_is_retried_then_given_up(session: Session, user: User) -> None:
    now = utcnow()
    mailer.enqueue(
        session=session,
        to="a@example.com",
        template="password_reset",
        now=now,
        username="a",
        minutes="30",
        link="http://x/reset-password?token=t",
    )
    session.commit()

    def broken(_message: MailMessage) -> None:
        raise ConnectionRefusedError("no server")

    moment = now
    for delay in (*mailer.RETRY_DELAYS, None):
        assert mailer.deliver_due(session=session, send=broken, now=moment) == 0
        session.commit()
        [message] = _messages(session)
        if delay is None:
            assert message.failed_at == moment
            break
        assert message.next_attempt_at == moment + delay
        # Nothing is tried before the delay has passed.
        assert mailer.deliver_due(session=session, send=broken, now=moment + delay / 2) == 0
        moment += delay
    [given_up] = _messages(session)
    assert given_up.attempts == len(mailer.RETRY_DELAYS) + 1
    assert "ConnectionRefusedError" in given_up.last_error


def test_unknown_accounts_get_the_same_answer_and_no_mail(session: Session, user: User) -> None:
    for identifier in ("nobody", "nobody@example.com"):
        password_reset.request_reset(session=session, identifier=identifier)
    session.commit()
    assert _messages(session) == []
    for identifier in ("ALICE", "Alice@Example.com"):
        password_reset.request_reset(session=session, identifier=identifier)
    session.commit()
    assert [m.to_address for m in _messages(session)] == ["alice@example.com"] * 2


def _token(session: Session, user: User, *, now: dt.datetime | None = None) -> str:
    token = action_tokens.issue(
        session=session, purpose="reset", user=user, lifetime=dt.timedelta(minutes=30), now=now
    )
    session.commit()
    return token


def test_a_reset_link_works_once(session: Session, user: User) -> None:
    token = _token(session, user)
    # Opening the link (a mail scanner's GET) uses nothing up.
    assert password_reset.check_link(session=session, token=token).id == user.id
    assert password_reset.check_link(session=session, token=token).id == user.id
    password_reset.reset_password(session=session, token=token, password=NEW_PASSWORD)
    session.commit()
    with pytest.raises(password_reset.InvalidLinkError):
        password_reset.reset_password(session=session, token=token, password=NEW_PASSWORD + "!")
    assert accounts.authenticate(session=session, username="alice", password=NEW_PASSWORD)


def test_a_newer_link_voids_the_older_one(session: Session, user: User) -> None:
    older, newer = _token(session, user), _token(session, user)
    with pytest.raises(password_reset.InvalidLinkError):
        password_reset.check_link(session=session, token=older)
    assert password_reset.check_link(session=session, token=newer).id == user.id


def test_a_password_change_voids_the_link(session: Session, user: User) -> None:
    token = _token(session, user, now=utcnow() - dt.timedelta(seconds=1))
    assert user.id is not None
    account_changes.set_password(session=session, user_id=user.id, password=NEW_PASSWORD)
    session.commit()
    with pytest.raises(password_reset.InvalidLinkError):
        password_reset.check_link(session=session, token=token)


def test_an_expired_or_tampered_link_fails(session: Session, user: User) -> None:
    token = _token(session, user, now=utcnow() - dt.timedelta(minutes=31))
    for bad in (token, _token(session, user)[:-1] + "x", "", "x" * 2000):
        with pytest.raises(password_reset.InvalidLinkError):
            password_reset.check_link(session=session, token=bad)


def test_a_bad_new_password_keeps_the_link(session: Session, user: User) -> None:
    token = _token(session, user)
    with pytest.raises(PolicyError):
        password_reset.reset_password(session=session, token=token, password="short")
    session.rollback()  # as db.run does: the refused change uses nothing up
    assert password_reset.check_link(session=session, token=token).id == user.id
