"""Two-factor authentication on real databases: enrolment, the second sign-in step, replay,
recovery codes, the void challenge, turning it off and the administrators' reset."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from nfp_app.models import AuthEvent, AuthSession, MailMessage, TotpCredential, User, utcnow
from nfp_app.security import tokens, totp
from nfp_app.security.secret_box import SecretBoxError
from nfp_app.services import (
    accounts,
    bearer,
    mfa_admin,
    mfa_enrolment,
    mfa_errors,
    mfa_signin,
    mfa_store,
    signin,
)
from nfp_app.services.admin_actions import Acting
from nfp_app.services.my_account import WrongPasswordError
from tests.support.accounts import PASSWORD
from tests.support.overrides import Override

BINDING = tokens.new_secret()


@pytest.fixture
def user(session: Session) -> User:
    """One committed account with an email address."""
    created = accounts.create_user(
        session=session, username="alice", password=PASSWORD, email="alice@example.com"
    )
    session.commit()
    return created


def _uid(user: User) -> int:
    assert user.id is not None
    return user.id


def _code(secret: str, now: dt.datetime, offset: int = 0) -> str:
    return totp.code_at(secret, totp.step_at(now) + offset)


def _enrol(session: Session, user: User, now: dt.datetime) -> tuple[str, list[str]]:
    """Turn 2FA on; the secret and the recovery codes. `now` is a step before the sign-ins."""
    started = mfa_enrolment.start_enrolment(session=session, user_id=_uid(user), password=PASSWORD)
    codes = mfa_enrolment.confirm_enrolment(
        session=session, user_id=_uid(user), code=_code(started.secret, now), now=now
    )
    session.commit()
    return started.secret, codes


def _sign_in(session: Session, *, persistent: bool = False) -> signin.SignInResult:
    result = signin.sign_in(
        session=session,
        username="alice",
        password=PASSWORD,
        persistent=persistent,
        binding=BINDING,
        user_agent="pytest",
        ip="127.0.0.1",
    )
    session.commit()
    return result


def _complete(session: Session, challenge: str, code: str, now: dt.datetime) -> object:
    result = mfa_signin.complete_sign_in(
        session=session, challenge=challenge, code=code, binding=BINDING, ip="127.0.0.1", now=now
    )
    session.commit()
    return result


def _challenge(session: Session) -> str:
    result = _sign_in(session)
    assert isinstance(result, signin.SecondFactorRequired), result
    return result.challenge


def _events(session: Session, event: str) -> list[AuthEvent]:
    session.expire_all()
    query = select(AuthEvent).where(AuthEvent.event == event).order_by(col(AuthEvent.id))
    return list(session.exec(query).all())


def _sessions(session: Session) -> int:
    return len(session.exec(select(AuthSession)).all())


def test_enrolment_needs_a_code_and_a_password(session: Session, user: User) -> None:
    with pytest.raises(mfa_errors.ReauthenticationRequiredError):
        mfa_enrolment.start_enrolment(session=session, user_id=_uid(user))
    with pytest.raises(WrongPasswordError):
        mfa_enrolment.start_enrolment(session=session, user_id=_uid(user), password="wrong")
    recent = utcnow() - dt.timedelta(minutes=4)
    started = mfa_enrolment.start_enrolment(
        session=session, user_id=_uid(user), reauthenticated_at=recent
    )
    assert started.otpauth_uri.startswith("otpauth://totp/nfp_app:alice?")
    assert started.qr_svg.startswith("<svg")
    status = mfa_enrolment.status(session=session, user_id=_uid(user))
    assert status == mfa_errors.MfaStatus(enabled=False, pending=True, recovery_codes_left=0)
    # Pending: the password alone still signs in.
    assert isinstance(_sign_in(session), signin.SignedIn)
    with pytest.raises(mfa_errors.WrongCodeError):
        mfa_enrolment.confirm_enrolment(session=session, user_id=_uid(user), code="000000")
    codes = mfa_enrolment.confirm_enrolment(
        session=session, user_id=_uid(user), code=_code(started.secret, utcnow())
    )
    session.commit()
    assert len(codes) == 10
    status = mfa_enrolment.status(session=session, user_id=_uid(user))
    assert status == mfa_errors.MfaStatus(enabled=True, pending=False, recovery_codes_left=10)
    assert mfa_store.enabled_among(session, [_uid(user), _uid(user) + 1]) == {_uid(user)}
    assert [e.outcome for e in _events(session, "mfa_enable")] == ["failure", "success"]
    mails = session.exec(select(MailMessage).where(MailMessage.template == "mfa_enabled")).all()
    assert [mail.to_address for mail in mails] == ["alice@example.com"]


def test_stale_reauthentication_needs_the_password(session: Session, user: User) -> None:
    stale = utcnow() - dt.timedelta(minutes=6)
    with pytest.raises(mfa_errors.ReauthenticationRequiredError):
        mfa_enrolment.start_enrolment(session=session, user_id=_uid(user), reauthenticated_at=stale)


def test_the_secret_is_encrypted_at_rest(session: Session, user: User) -> None:
    secret, codes = _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    session.expire_all()
    row = session.exec(select(TotpCredential)).one()
    assert row.secret_encrypted.startswith("v1:")
    assert secret not in row.secret_encrypted
    raw = session.connection().exec_driver_sql("SELECT * FROM recovery_code").all()
    assert not any(code.replace("-", "") in str(raw) for code in codes)


def test_sign_in_needs_the_second_factor(session: Session, user: User) -> None:
    secret, _ = _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    before = _sessions(session)
    result = _sign_in(session, persistent=True)
    assert isinstance(result, signin.SecondFactorRequired)
    assert _sessions(session) == before  # no session on the password alone
    assert _events(session, "mfa_challenge")[-1].detail == "code asked (browser)"
    now = utcnow()
    done = _complete(session, result.challenge, _code(secret, now), now)
    assert isinstance(done, signin.SignedIn)
    row = session.get(AuthSession, done.started.session_id)
    assert row is not None
    assert row.persistent
    # The challenge was used up.
    again = _complete(session, result.challenge, _code(secret, now, 1), now)
    assert isinstance(again, mfa_signin.ChallengeInvalid)
    assert [e.outcome for e in _events(session, "mfa_verify")][-1] == "success"


def test_a_code_is_accepted_once_and_older_ones_never(session: Session, user: User) -> None:
    secret, _ = _enrol(session, user, utcnow() - dt.timedelta(seconds=90))
    now = utcnow()
    assert isinstance(
        _complete(session, _challenge(session), _code(secret, now), now), signin.SignedIn
    )
    replay = _complete(session, _challenge(session), _code(secret, now), now)
    assert replay == mfa_signin.WrongCode(attempts_left=4)
    older = _complete(session, _challenge(session), _code(secret, now, -1), now)
    assert isinstance(older, mfa_signin.WrongCode)
    assert isinstance(
        _complete(session, _challenge(session), _code(secret, now, 1), now), signin.SignedIn
    )


def test_a_recovery_code_works_once_and_mails_the_owner(session: Session, user: User) -> None:
    _, codes = _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    now = utcnow()
    done = _complete(session, _challenge(session), codes[0].upper(), now)
    assert isinstance(done, signin.SignedIn)
    assert mfa_enrolment.status(session=session, user_id=_uid(user)).recovery_codes_left == 9
    again = _complete(session, _challenge(session), codes[0], now)
    assert isinstance(again, mfa_signin.WrongCode)
    mail = session.exec(
        select(MailMessage).where(MailMessage.template == "mfa_recovery_code_used")
    ).one()
    assert "9 left" in mail.text_body
    assert any("recovery code used, 9 left" in e.detail for e in _events(session, "mfa_verify"))


def test_five_wrong_codes_void_the_challenge(session: Session, user: User) -> None:
    secret, _ = _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    challenge = _challenge(session)
    now = utcnow()
    results = [_complete(session, challenge, "000000", now) for _ in range(5)]
    assert [r.attempts_left for r in results if isinstance(r, mfa_signin.WrongCode)] == [
        4,
        3,
        2,
        1,
        0,
    ]
    late = _complete(session, challenge, _code(secret, now), now)
    assert isinstance(late, mfa_signin.ChallengeInvalid)
    # The account's second-factor attempts are throttled now, with a fresh challenge too.
    throttled = _complete(session, _challenge(session), _code(secret, now), now)
    assert isinstance(throttled, signin.Throttled)


def test_an_expired_or_foreign_challenge_does_nothing(session: Session, user: User) -> None:
    secret, _ = _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    challenge = _challenge(session)
    later = utcnow() + dt.timedelta(minutes=5, seconds=1)
    assert isinstance(
        _complete(session, challenge, _code(secret, later), later), mfa_signin.ChallengeInvalid
    )
    assert isinstance(
        _complete(session, "not-a-challenge", _code(secret, utcnow()), utcnow()),
        mfa_signin.ChallengeInvalid,
    )


def test_disabling_needs_the_password_and_a_code(session: Session, user: User) -> None:
    secret, codes = _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    uid = _uid(user)
    with pytest.raises(WrongPasswordError):
        mfa_enrolment.disable(session=session, user_id=uid, password="wrong", code=codes[0])
    with pytest.raises(mfa_errors.WrongCodeError):
        mfa_enrolment.disable(session=session, user_id=uid, password=PASSWORD, code="000000")
    assert mfa_enrolment.status(session=session, user_id=uid).enabled
    mfa_enrolment.disable(
        session=session, user_id=uid, password=PASSWORD, code=_code(secret, utcnow())
    )
    session.commit()
    assert mfa_enrolment.status(session=session, user_id=uid).enabled is False
    assert isinstance(_sign_in(session), signin.SignedIn)
    assert [e.outcome for e in _events(session, "mfa_disable")] == ["success"]
    assert session.exec(select(MailMessage).where(MailMessage.template == "mfa_disabled")).first()


def test_regenerating_voids_the_old_codes(session: Session, user: User) -> None:
    _, old = _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    new = mfa_enrolment.regenerate_recovery_codes(
        session=session, user_id=_uid(user), password=PASSWORD
    )
    session.commit()
    assert set(new).isdisjoint(old)
    now = utcnow()
    assert isinstance(_complete(session, _challenge(session), old[1], now), mfa_signin.WrongCode)
    assert isinstance(_complete(session, _challenge(session), new[1], now), signin.SignedIn)
    assert _events(session, "mfa_recovery_codes")


def test_an_admin_reset_is_audited_with_the_reason(session: Session, user: User) -> None:
    _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    acting = Acting(actor="root", ip="10.0.0.1")
    mfa_admin.admin_reset(session=session, user_id=_uid(user), reason="lost phone", acting=acting)
    session.commit()
    assert not mfa_enrolment.status(session=session, user_id=_uid(user)).enabled
    event = _events(session, "mfa_reset")[-1]
    assert event.detail == "reason: lost phone by root"
    assert isinstance(_sign_in(session), signin.SignedIn)
    with pytest.raises(mfa_errors.NotEnabledError):
        mfa_admin.admin_reset(session=session, user_id=_uid(user), reason="again", acting=acting)


def test_the_api_needs_the_second_factor_too(session: Session, user: User) -> None:
    secret, _ = _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    before = _sessions(session)
    first = bearer.sign_in(session=session, username="alice", password=PASSWORD)
    session.commit()
    assert isinstance(first, bearer.MfaRequired)
    assert _sessions(session) == before
    # A token of the API channel is no good on the page's step, and the other way round.
    now = utcnow()
    on_page = _complete(session, first.mfa_token, _code(secret, now), now)
    assert isinstance(on_page, mfa_signin.ChallengeInvalid)
    browser = _challenge(session)
    crossed = bearer.complete_sign_in(session=session, mfa_token=browser, code=_code(secret, now))
    assert isinstance(crossed, mfa_signin.ChallengeInvalid)
    done = bearer.complete_sign_in(
        session=session, mfa_token=first.mfa_token, code=_code(secret, now)
    )
    session.commit()
    assert isinstance(done, bearer.TokenIssued)
    assert bearer.check_token(session=session, token=done.access_token) is not None


def test_everything_goes_with_the_account(session: Session, user: User) -> None:
    _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    _challenge(session)
    session.delete(user)
    session.commit()
    for table in ("totp_credential", "recovery_code", "mfa_challenge"):
        count = session.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
        assert count == 0, table


def test_another_key_cannot_open_the_secret(
    session: Session, user: User, override: Override
) -> None:
    _enrol(session, user, utcnow() - dt.timedelta(seconds=60))
    credential = mfa_store.confirmed_credential(session, _uid(user))
    assert credential is not None
    mfa_store.open_secret(credential)
    override(MFA_ENCRYPTION_KEY="another key of at least thirty-two bytes, for tests")
    with pytest.raises(SecretBoxError, match="MFA_ENCRYPTION_KEY"):
        mfa_store.open_secret(credential)
