"""Passkey-only accounts: signing up with a passkey (PASSKEY_SIGNUP), no password to sign in
with, never locked out of the last passkey, and a password set or reset later."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from nfp_app.models import AuthEvent, MailMessage, User, utcnow
from nfp_app.security import tokens
from nfp_app.services import (
    accounts,
    action_tokens,
    my_account,
    passkey_ceremonies,
    passkey_manage,
    password_reset,
    signin,
)
from nfp_app.services.passkey_results import Ceremony, Refused
from nfp_app.services.passkey_signup import SIGNUP_OFF
from tests.support.accounts import PASSWORD
from tests.support.overrides import Override
from tests.support.passkeys import ORIGIN, register
from tests.support.soft_authenticator import SoftAuthenticator

BINDING = tokens.new_secret()


def sign_up(
    session: Session, authenticator: SoftAuthenticator, *, email: str = "carol@example.com"
) -> passkey_ceremonies.SignedUp:
    """Sign up "carol" with a passkey alone."""
    now = utcnow()
    ceremony = passkey_ceremonies.begin_signup(
        session=session, username="carol", email=email, now=now
    )
    assert isinstance(ceremony, Ceremony), ceremony
    result = passkey_ceremonies.finish_signup(
        session=session,
        handle=ceremony.handle,
        credential=authenticator.create(ceremony.options),
        name="Phone",
        now=now,
        binding=BINDING,
    )
    session.commit()
    assert isinstance(result, passkey_ceremonies.SignedUp), result
    return result


@pytest.fixture
def carol(session: Session, override: Override) -> User:
    """An account made with a passkey alone, signed in on this browser."""
    override(PASSKEY_SIGNUP="true")
    done = sign_up(session, SoftAuthenticator(origin=ORIGIN))
    assert done.started is not None
    return done.user


def test_passkey_signup_is_off_by_default(session: Session) -> None:
    refused = passkey_ceremonies.begin_signup(
        session=session, username="carol", email="", now=utcnow()
    )
    assert refused == Refused(SIGNUP_OFF)


def test_a_passkey_signup_makes_an_account_without_a_password(
    session: Session, carol: User
) -> None:
    assert carol.hashed_password == ""
    assert not accounts.has_password(carol)
    [passkey] = passkey_manage.list_passkeys(session=session, user=carol)
    assert passkey.name == "Phone"
    signup = session.exec(select(AuthEvent).where(col(AuthEvent.event) == "signup")).one()
    assert signup.detail == "passkey"


def test_signup_refuses_a_taken_name_before_any_ceremony(session: Session, carol: User) -> None:
    again = passkey_ceremonies.begin_signup(
        session=session, username="Carol", email="", now=utcnow()
    )
    assert again == Refused(accounts.UsernameTakenError().message)


def test_signup_with_verification_waits_for_the_email(session: Session, override: Override) -> None:
    override(PASSKEY_SIGNUP="true", REQUIRE_EMAIL_VERIFICATION="true")
    no_email = passkey_ceremonies.begin_signup(
        session=session, username="carol", email="", now=utcnow()
    )
    assert isinstance(no_email, Refused)
    done = sign_up(session, SoftAuthenticator(origin=ORIGIN))
    assert done.needs_verification
    assert done.started is None
    templates = [row.template for row in session.exec(select(MailMessage)).all()]
    assert templates == ["verify_email"]


@pytest.mark.parametrize("password", ["", "anything-at-all-123"])
def test_a_passwordless_account_cannot_sign_in_with_a_password(
    session: Session, carol: User, password: str
) -> None:
    result = signin.attempt(session=session, username="carol", password=password)
    assert isinstance(result, signin.BadCredentials)
    assert accounts.authenticate(session=session, username="carol", password=password) is None


def test_the_last_passkey_of_a_passwordless_account_stays(session: Session, carol: User) -> None:
    now = utcnow()
    [first] = passkey_manage.list_passkeys(session=session, user=carol)
    refused = passkey_manage.remove_passkey(
        session=session, user=carol, passkey_id=first.id, now=now
    )
    assert refused == Refused(passkey_manage.LAST_PASSKEY)

    second = register(session, carol, SoftAuthenticator(origin=ORIGIN), name="Key")
    assert (
        passkey_manage.remove_passkey(session=session, user=carol, passkey_id=first.id, now=now)
        is None
    )
    assert passkey_manage.remove_passkey(
        session=session, user=carol, passkey_id=second.id, now=now
    ) == Refused(passkey_manage.LAST_PASSKEY)
    assert passkey_manage.has_passkeys(session=session, user=carol)


def test_a_passwordless_account_sets_a_password_once(session: Session, carol: User) -> None:
    my_account.set_password(session=session, user=carol, new_password=PASSWORD)
    session.commit()

    assert isinstance(signin.attempt(session=session, username="carol", password=PASSWORD), User)
    with pytest.raises(my_account.PasswordExistsError):
        my_account.set_password(session=session, user=carol, new_password=PASSWORD + "x")
    # With a password, the last passkey may go.
    [only] = passkey_manage.list_passkeys(session=session, user=carol)
    assert (
        passkey_manage.remove_passkey(session=session, user=carol, passkey_id=only.id, now=utcnow())
        is None
    )


def test_a_reset_link_gives_a_passwordless_account_a_password(
    session: Session, carol: User
) -> None:
    token = action_tokens.issue(
        session=session, purpose="reset", user=carol, lifetime=dt.timedelta(minutes=30)
    )
    session.commit()
    password_reset.reset_password(session=session, token=token, password=PASSWORD)
    session.commit()
    assert isinstance(signin.attempt(session=session, username="carol", password=PASSWORD), User)


def test_changing_a_password_that_does_not_exist_is_refused(session: Session, carol: User) -> None:
    assert carol.id is not None
    with pytest.raises(my_account.WrongPasswordError):
        my_account.change_password(
            session=session, user_id=carol.id, current="", new=PASSWORD, keep_session_id=None
        )
