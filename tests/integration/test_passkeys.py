"""Passkeys on real databases with a software authenticator: registration, passkey sign-in,
the second factor, management and every refusal the issue names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from nfp_app.models import AuthEvent, AuthSession, MailMessage, PasskeyCredential, User, utcnow
from nfp_app.security import tokens
from nfp_app.services import (
    accounts,
    passkey_ceremonies,
    passkey_manage,
    passkey_signin,
    signin,
)
from nfp_app.services.passkey_results import Ceremony, Refused
from tests.support.accounts import PASSWORD
from tests.support.mfa import enable_mfa
from tests.support.passkeys import ORIGIN, register
from tests.support.soft_authenticator import SoftAuthenticator, tampered

BINDING = tokens.new_secret()


@pytest.fixture
def user(session: Session) -> User:
    """One committed account with a password and an email address."""
    created = accounts.create_user(
        session=session, username="alice", password=PASSWORD, email="alice@example.com"
    )
    session.commit()
    return created


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


def subjects(session: Session) -> list[str]:
    """The subjects of every queued email."""
    return [row.subject for row in session.exec(select(MailMessage)).all()]


def refused_details(session: Session) -> list[str]:
    """The details of the refused passkey checks, oldest first."""
    return [row.detail for row in events(session, "passkey_verify") if row.outcome == "failure"]


def test_a_synced_passkey_with_counter_zero_signs_in_again_and_again(
    session: Session, user: User
) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN, synced=True)
    view = register(session, user, authenticator)
    assert view.synced
    assert view.backed_up
    for _ in range(3):
        ceremony = begin_signin(session)
        assertion = authenticator.get(ceremony.options)
        assert isinstance(sign_in(session, ceremony.handle, assertion), signin.SignedIn)
    assert session.exec(select(PasskeyCredential)).one().sign_count == 0


@pytest.mark.parametrize(("stored", "sent"), [(5, 5), (5, 3), (5, 0)])
def test_a_counter_that_does_not_go_up_is_refused_as_a_possible_clone(
    session: Session, user: User, stored: int, sent: int
) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    register(session, user, authenticator)
    authenticator.passkeys[0].sign_count = stored
    ceremony = begin_signin(session)
    assert isinstance(
        sign_in(session, ceremony.handle, authenticator.get(ceremony.options)), signin.SignedIn
    )

    ceremony = begin_signin(session)
    result = sign_in(session, ceremony.handle, authenticator.get(ceremony.options, sign_count=sent))

    assert isinstance(result, Refused)
    [detail] = refused_details(session)
    assert "possible cloned authenticator" in detail
    assert f"({stored + 1} -> {sent})" in detail
    assert session.exec(select(PasskeyCredential)).one().sign_count == stored + 1


def test_an_assertion_from_another_origin_is_refused(session: Session, user: User) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    register(session, user, authenticator)
    ceremony = begin_signin(session)
    phished = authenticator.get(ceremony.options, origin="http://login.evil.example")

    result = sign_in(session, ceremony.handle, phished)

    assert isinstance(result, Refused)
    assert "origin" in refused_details(session)[0]


def test_a_replayed_challenge_is_refused(session: Session, user: User) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    register(session, user, authenticator)
    ceremony = begin_signin(session)
    first = authenticator.get(ceremony.options)
    assert isinstance(sign_in(session, ceremony.handle, first), signin.SignedIn)

    # The very same response, and a fresh signature over the same challenge: both refused.
    assert isinstance(sign_in(session, ceremony.handle, first), Refused)
    assert isinstance(
        sign_in(session, ceremony.handle, authenticator.get(ceremony.options)), Refused
    )
    assert len(events(session, "login")) == 1


def test_a_tampered_signature_is_refused(session: Session, user: User) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    register(session, user, authenticator)
    ceremony = begin_signin(session)

    result = sign_in(session, ceremony.handle, tampered(authenticator.get(ceremony.options)))

    assert isinstance(result, Refused)
    assert "signature" in refused_details(session)[0]
    assert session.exec(select(PasskeyCredential)).one().last_used_at is None


def test_a_challenge_expires_after_five_minutes(session: Session, user: User) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    register(session, user, authenticator)
    started = utcnow()
    ceremony = passkey_signin.begin_signin(session=session, now=started)
    session.commit()
    assertion = authenticator.get(ceremony.options)

    late = sign_in(session, ceremony.handle, assertion, now=started + dt.timedelta(minutes=5))

    assert isinstance(late, Refused)
    # Just before the end it would still have worked: a fresh ceremony, 4:59 later.
    ceremony = passkey_signin.begin_signin(session=session, now=started)
    session.commit()
    in_time = started + dt.timedelta(minutes=4, seconds=59)
    assertion = authenticator.get(ceremony.options)
    assert isinstance(sign_in(session, ceremony.handle, assertion, now=in_time), signin.SignedIn)


def test_a_challenge_of_another_purpose_is_refused(session: Session, user: User) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    register(session, user, authenticator)
    reauth = passkey_ceremonies.begin_reauth(session=session, user=user, now=utcnow())
    session.commit()
    assert isinstance(reauth, Ceremony)

    result = sign_in(session, reauth.handle, authenticator.get(reauth.options))

    assert isinstance(result, Refused)
    assert not events(session, "login")


def test_another_users_challenge_and_passkey_are_refused(session: Session, user: User) -> None:
    bob = accounts.create_user(session=session, username="bob", password=PASSWORD)
    session.commit()
    alices, bobs = SoftAuthenticator(origin=ORIGIN), SoftAuthenticator(origin=ORIGIN)
    register(session, user, alices)
    register(session, bob, bobs)
    now = utcnow()

    # Bob's registration challenge cannot add a passkey to Alice's account.
    ceremony = passkey_ceremonies.begin_registration(session=session, user=bob, now=now)
    stolen = passkey_ceremonies.finish_registration(
        session=session,
        user=user,
        handle=ceremony.handle,
        credential=alices.create(ceremony.options),
        name="x",
        now=now,
    )
    assert isinstance(stolen, Refused)
    # Alice's re-authentication is not passed with Bob's passkey.
    reauth = passkey_ceremonies.begin_reauth(session=session, user=user, now=now)
    assert isinstance(reauth, Ceremony)
    bobs_answer = bobs.get({**reauth.options, "allowCredentials": []})
    refused = passkey_ceremonies.finish_reauth(
        session=session, user=user, handle=reauth.handle, credential=bobs_answer, now=now
    )
    assert isinstance(refused, Refused)
    reauth = passkey_ceremonies.begin_reauth(session=session, user=user, now=now)
    assert isinstance(reauth, Ceremony)
    done = passkey_ceremonies.finish_reauth(
        session=session,
        user=user,
        handle=reauth.handle,
        credential=alices.get(reauth.options),
        now=now,
    )
    assert done is None
    assert len(passkey_manage.list_passkeys(session=session, user=user)) == 1


def test_sign_in_needs_user_verification(session: Session, user: User) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    register(session, user, authenticator)
    ceremony = begin_signin(session)

    result = sign_in(
        session, ceremony.handle, authenticator.get(ceremony.options, user_verified=False)
    )

    assert isinstance(result, Refused)


def test_registration_needs_user_verification_and_this_origin(session: Session, user: User) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    now = utcnow()
    for kwargs in ({"user_verified": False}, {"origin": "https://evil.example"}):
        ceremony = passkey_ceremonies.begin_registration(session=session, user=user, now=now)
        result = passkey_ceremonies.finish_registration(
            session=session,
            user=user,
            handle=ceremony.handle,
            credential=authenticator.create(ceremony.options, **kwargs),  # type: ignore[arg-type]
            name="x",
            now=now,
        )
        assert isinstance(result, Refused), kwargs
    assert not passkey_manage.has_passkeys(session=session, user=user)


def test_a_second_passkey_is_excluded_and_shares_the_user_handle(
    session: Session, user: User
) -> None:
    first = register(session, user, SoftAuthenticator(origin=ORIGIN), name="Phone")
    ceremony = passkey_ceremonies.begin_registration(session=session, user=user, now=utcnow())
    stored = session.exec(select(PasskeyCredential)).one()
    assert [item["id"] for item in ceremony.options["excludeCredentials"]] == [stored.credential_id]
    assert ceremony.options["user"]["id"] == stored.user_handle
    assert ceremony.options["authenticatorSelection"]["residentKey"] == "required"
    assert ceremony.options["authenticatorSelection"]["userVerification"] == "required"
    assert ceremony.options["attestation"] == "none"
    second = register(session, user, SoftAuthenticator(origin=ORIGIN), name="Key")
    assert [view.id for view in passkey_manage.list_passkeys(session=session, user=user)] == [
        second.id,
        first.id,
    ]


def test_a_passkey_answers_the_second_step_instead_of_a_code(
    session: Session, user: User, engine: sa.Engine
) -> None:

    authenticator = SoftAuthenticator(origin=ORIGIN)
    register(session, user, authenticator)
    assert user.id is not None
    enable_mfa(engine, user.id, PASSWORD)
    pending = signin.sign_in(
        session=session, username="alice", password=PASSWORD, persistent=True, binding=BINDING
    )
    session.commit()
    assert isinstance(pending, signin.SecondFactorRequired)
    now = utcnow()
    assert passkey_signin.can_use_passkey(session=session, challenge=pending.challenge, now=now)

    ceremony = passkey_signin.begin_second_factor(
        session=session, challenge=pending.challenge, now=now
    )
    assert isinstance(ceremony, Ceremony)
    assert ceremony.options["userVerification"] == "preferred"
    assert len(ceremony.options["allowCredentials"]) == 1
    assertion = authenticator.get(ceremony.options, user_verified=False)
    result = passkey_signin.complete_second_factor(
        session=session,
        challenge=pending.challenge,
        handle=ceremony.handle,
        credential=assertion,
        binding=BINDING,
        now=now,
    )
    session.commit()

    assert isinstance(result, signin.SignedIn)
    row = session.get(AuthSession, result.started.session_id)
    assert row is not None
    assert row.persistent  # as asked for with the password
    again = passkey_signin.begin_second_factor(
        session=session, challenge=pending.challenge, now=now
    )
    assert isinstance(again, passkey_signin.ChallengeInvalid)
    assert not passkey_signin.can_use_passkey(session=session, challenge=pending.challenge, now=now)
    assert [row.detail for row in events(session, "mfa_verify")][-1].startswith("sign-in: passkey")


def test_rename_and_remove_are_audited_and_mailed(session: Session, user: User) -> None:
    view = register(session, user, SoftAuthenticator(origin=ORIGIN))
    now = utcnow()

    renamed = passkey_manage.rename_passkey(
        session=session, user=user, passkey_id=view.id, name="  Work   laptop ", now=now
    )
    assert isinstance(renamed, passkey_manage.PasskeyView)
    assert renamed.name == "Work laptop"
    bad = passkey_manage.rename_passkey(
        session=session, user=user, passkey_id=view.id, name="x" * 65, now=now
    )
    assert isinstance(bad, Refused)
    removed = passkey_manage.remove_passkey(session=session, user=user, passkey_id=view.id, now=now)
    session.commit()

    assert removed is None  # a password remains, so the last passkey may go
    assert not passkey_manage.has_passkeys(session=session, user=user)
    assert events(session, "passkey_rename")
    assert events(session, "passkey_remove")
    assert "A passkey of your nfp_app account was renamed" in subjects(session)
    assert "A passkey was removed from your nfp_app account" in subjects(session)
    mail = session.exec(
        select(MailMessage).where(col(MailMessage.template) == "passkey_renamed")
    ).one()
    assert "Work laptop" in mail.text_body
    assert "Laptop" in mail.text_body


def test_someone_elses_passkey_cannot_be_renamed_or_removed(session: Session, user: User) -> None:
    view = register(session, user, SoftAuthenticator(origin=ORIGIN))
    bob = accounts.create_user(session=session, username="bob", password=PASSWORD)
    now = utcnow()
    assert passkey_manage.rename_passkey(
        session=session, user=bob, passkey_id=view.id, name="mine", now=now
    ) == Refused(passkey_manage.NOT_FOUND)
    assert passkey_manage.remove_passkey(
        session=session, user=bob, passkey_id=view.id, now=now
    ) == Refused(passkey_manage.NOT_FOUND)
    assert passkey_manage.list_passkeys(session=session, user=user)[0].name == "Laptop"


@pytest.mark.parametrize(
    "credential",
    [
        {},
        {"id": "\x00"},
        {"id": "abc", "response": "x"},
        {"id": 7, "rawId": [], "response": {"clientDataJSON": None}},
        {"id": "QUJD", "rawId": "QUJD", "type": "public-key", "response": {"userHandle": "\ud800"}},
    ],
)
def test_malformed_input_is_refused_not_raised(
    session: Session, user: User, credential: dict[str, Any]
) -> None:
    authenticator = SoftAuthenticator(origin=ORIGIN)
    register(session, user, authenticator)
    for handle in ("\ud800", "x" * 10_000, begin_signin(session).handle):
        assert isinstance(sign_in(session, handle, credential), Refused)
    ceremony = passkey_ceremonies.begin_registration(session=session, user=user, now=utcnow())
    refused = passkey_ceremonies.finish_registration(
        session=session,
        user=user,
        handle=ceremony.handle,
        credential=credential,
        name="\ud800",
        now=utcnow(),
    )
    assert isinstance(refused, Refused)
    ceremony = passkey_ceremonies.begin_registration(session=session, user=user, now=utcnow())
    refused = passkey_ceremonies.finish_registration(
        session=session,
        user=user,
        handle=ceremony.handle,
        credential=credential,
        name="",
        now=utcnow(),
    )
    assert isinstance(refused, Refused)


def test_the_second_step_offers_no_passkey_to_an_account_without_one(
    session: Session, user: User, engine: sa.Engine
) -> None:
    assert user.id is not None
    enable_mfa(engine, user.id, PASSWORD)
    pending = signin.sign_in(
        session=session, username="alice", password=PASSWORD, persistent=False, binding=BINDING
    )
    assert isinstance(pending, signin.SecondFactorRequired)
    now = utcnow()
    assert not passkey_signin.can_use_passkey(session=session, challenge=pending.challenge, now=now)
    refused = passkey_signin.begin_second_factor(
        session=session, challenge=pending.challenge, now=now
    )
    assert isinstance(refused, passkey_signin.ChallengeInvalid)
