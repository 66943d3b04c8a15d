"""Passkeys on real databases with a software authenticator: registration, passkey sign-in,
the second factor, management and every refusal the issue names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import Session, col, select

from nfp_app.models import AuthEvent, MailMessage, PasskeyCredential, User, utcnow
from nfp_app.security import tokens
from nfp_app.services import (
    accounts,
    passkey_ceremonies,
    passkey_manage,
    passkey_signin,
    signin,
)
from nfp_app.services.passkey_results import Ceremony
from tests.support.accounts import PASSWORD
from tests.support.soft_authenticator import SoftAuthenticator

ORIGIN = "http://localhost:3000"
BINDING = tokens.new_secret()


@pytest.fixture
def user(session: Session) -> User:
    """One committed account with a password and an email address."""
    created = accounts.create_user(
        session=session, username="alice", password=PASSWORD, email="alice@example.com"
    )
    session.commit()
    return created


def register(
    session: Session, user: User, authenticator: SoftAuthenticator, name: str = "Laptop"
) -> passkey_manage.PasskeyView:
    """Add a passkey through both halves of the registration ceremony."""
    now = utcnow()
    ceremony = passkey_ceremonies.begin_registration(session=session, user=user, now=now)
    credential = authenticator.create(ceremony.options)
    view = passkey_ceremonies.finish_registration(
        session=session,
        user=user,
        handle=ceremony.handle,
        credential=credential,
        name=name,
        now=now,
        ip="127.0.0.1",
        user_agent="pytest",
    )
    session.commit()
    assert isinstance(view, passkey_manage.PasskeyView), view
    return view


def begin_signin(session: Session) -> Ceremony:
    """A fresh username-less sign-in ceremony."""
    ceremony = passkey_signin.begin_signin(session=session, now=utcnow())
    session.commit()
    return ceremony


def sign_in(
    session: Session, handle: str, credential: dict[str, Any], now: dt.datetime | None = None
) -> object:
    """Finish a passkey sign-in in the browser."""
    result = passkey_signin.sign_in_with_passkey(
        session=session, handle=handle, credential=credential, binding=BINDING, now=now
    )
    session.commit()
    return result


def events(session: Session, event: str) -> list[AuthEvent]:
    """The audit rows of one kind, oldest first."""
    query = select(AuthEvent).where(col(AuthEvent.event) == event).order_by(col(AuthEvent.id))
    return list(session.exec(query).all())


def test_a_registered_passkey_signs_in_without_a_username(session: Session, user: User) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    view = register(session, user, authenticator)
    assert view.name == "Laptop"
    assert view.transports == ["internal", "hybrid"]
    assert not view.synced

    ceremony = begin_signin(session)
    assert ceremony.options["userVerification"] == "required"
    assert ceremony.options["allowCredentials"] == []
    result = sign_in(session, ceremony.handle, authenticator.get(ceremony.options))

    assert isinstance(result, signin.SignedIn)
    assert result.user.id == user.id
    stored = session.exec(select(PasskeyCredential)).one()
    assert stored.sign_count == 1
    assert stored.last_used_at is not None
    assert [row.detail for row in events(session, "login")] == [f"passkey {view.id}"]
    assert events(session, "passkey_add")
    subjects = [row.subject for row in session.exec(select(MailMessage)).all()]
    assert "A passkey was added to your nfp_app account" in subjects
