"""Server-side sessions on real databases: handoff, resume, idle and absolute expiry, revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from nfp_app.infra.settings import get_settings
from nfp_app.models import AuthSession, User, utcnow
from nfp_app.security import tokens
from nfp_app.services import accounts, auth_sessions, bearer, handoff, session_ends
from tests.support.accounts import PASSWORD

# The browser-binding cookie of the browser that signed in.
BINDING = tokens.new_secret()


@pytest.fixture
def user(session: Session) -> User:
    """One committed, active account."""
    created = accounts.create_user(session=session, username="alice", password=PASSWORD)
    session.commit()
    return created


def _start(
    session: Session, user: User, *, persistent: bool = False, now: dt.datetime | None = None
) -> auth_sessions.BrowserSession:
    started = auth_sessions.start_browser_session(
        session=session,
        user=user,
        persistent=persistent,
        user_agent="pytest",
        ip="127.0.0.1",
        binding=BINDING,
        now=now,
    )
    session.commit()
    return started


def _row(session: Session, session_id: int) -> AuthSession:
    session.expire_all()
    row = session.get(AuthSession, session_id)
    assert row is not None
    return row


def _redeem(session: Session, code: str, now: dt.datetime | None = None) -> handoff.RedeemedHandoff:
    redeemed = handoff.redeem_handoff(session=session, code=code, binding=BINDING, now=now)
    session.commit()
    assert isinstance(redeemed, handoff.RedeemedHandoff), redeemed
    return redeemed


def _refused(
    session: Session,
    code: str,
    *,
    binding: str = BINDING,
    now: dt.datetime | None = None,
    cross_site: bool = False,
) -> str:
    """The reason a redemption is refused; fails the test if it succeeds."""
    result = handoff.redeem_handoff(
        session=session, code=code, binding=binding, now=now, cross_site=cross_site
    )
    session.commit()
    assert isinstance(result, handoff.RefusedHandoff), "the code was redeemed"
    return result.reason


def test_browser_session_gets_a_row_and_a_handoff_code(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, now=now)
    row = _row(session, started.session_id)
    assert row.user_id == user.id
    assert row.handoff_hash == tokens.digest(started.handoff_code)
    assert row.handoff_expires_at == now + auth_sessions.HANDOFF_LIFETIME
    assert row.secret_hash is None
    assert row.revoked_at is None
    assert not row.persistent
    assert row.user_agent == "pytest"
    assert row.ip == "127.0.0.1"
    assert row.expires_at == now + dt.timedelta(hours=get_settings().session_absolute_hours)
    stored_user = session.get(User, user.id)
    assert stored_user is not None
    assert stored_user.last_login_at == now


def test_api_session_gets_a_token_and_no_handoff_code(session: Session, user: User) -> None:
    now = utcnow()
    assert user.id is not None
    session_id = auth_sessions.start_api_session(session=session, user=user, ip="::1", now=now)
    token = bearer.issue_token(user_id=user.id, session_id=session_id, now=now)
    session.commit()
    row = _row(session, session_id)
    assert (row.handoff_hash, row.handoff_expires_at, row.handoff_binding) == (None, None, None)
    assert row.ip == "::1"
    claims = tokens.decode_access_token(token, key=get_settings().secret_key)
    assert claims.subject == str(user.id)
    assert claims.session_id == session_id
    checked = bearer.check_token(session=session, token=token, now=now)
    assert checked is not None
    assert checked.session_id == session_id


def test_persistent_session_lasts_remember_me_days(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, persistent=True, now=now)
    row = _row(session, started.session_id)
    assert row.persistent
    assert row.expires_at == now + dt.timedelta(days=get_settings().remember_me_days)


@pytest.mark.parametrize("persistent", [False, True])
def test_redeem_handoff_once(session: Session, user: User, persistent: bool) -> None:
    now = utcnow()
    started = _start(session, user, persistent=persistent, now=now)
    redeemed = _redeem(session, started.handoff_code, now=now + dt.timedelta(seconds=5))
    assert redeemed.persistent is persistent
    lifetime = (
        dt.timedelta(days=get_settings().remember_me_days)
        if persistent
        else dt.timedelta(hours=get_settings().session_absolute_hours)
    )
    assert redeemed.max_age_seconds == int(lifetime.total_seconds()) - 5
    row = _row(session, started.session_id)
    assert row.secret_hash == tokens.digest(redeemed.secret)
    assert row.handoff_hash is None
    assert row.handoff_expires_at is None

    assert _refused(session, started.handoff_code, now=now) == "unknown or used code"
    assert _row(session, started.session_id).secret_hash == tokens.digest(redeemed.secret)


def test_redeem_handoff_fails_after_a_minute(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, now=now)
    late = now + auth_sessions.HANDOFF_LIFETIME
    assert _refused(session, started.handoff_code, now=late) == "expired code"
    row = _row(session, started.session_id)
    assert row.handoff_hash is None
    assert row.secret_hash is None
    # A refused code is burnt: it fails later too, even at a time that would have been valid.
    assert _refused(session, started.handoff_code, now=now) == "unknown or used code"


def test_redeem_unknown_code(session: Session, user: User) -> None:
    _start(session, user)
    assert _refused(session, tokens.new_secret()) == "unknown or used code"
    assert _refused(session, "") == "unknown or used code"


def test_redeem_handoff_of_revoked_session(session: Session, user: User) -> None:
    started = _start(session, user)
    session_ends.revoke(session=session, session_id=started.session_id)
    session.commit()
    assert _refused(session, started.handoff_code) == "session already ended"


@pytest.mark.parametrize("binding", ["", "another browser's binding"])
def test_redeem_handoff_in_another_browser(session: Session, user: User, binding: str) -> None:
    started = _start(session, user)
    reason = _refused(session, started.handoff_code, binding=binding)
    assert reason == "code brought by another browser"
    # The attempt burnt the code: the browser that signed in has to sign in again.
    assert _refused(session, started.handoff_code) == "unknown or used code"
    assert _row(session, started.session_id).secret_hash is None


def test_redeem_handoff_started_by_another_site(session: Session, user: User) -> None:
    started = _start(session, user)
    reason = _refused(session, started.handoff_code, cross_site=True)
    assert reason == "cross-site request"
    assert _row(session, started.session_id).secret_hash is None


def test_a_browser_session_needs_a_binding(session: Session, user: User) -> None:
    with pytest.raises(AssertionError, match="bound to the browser"):
        auth_sessions.start_browser_session(
            session=session, user=user, persistent=False, binding=""
        )


def test_resume_with_cookie_secret(session: Session, user: User) -> None:
    started = _start(session, user)
    redeemed = _redeem(session, started.handoff_code)
    resumed = auth_sessions.resume(session=session, secret=redeemed.secret)
    assert resumed is not None
    session_id, resumed_user = resumed
    assert session_id == started.session_id
    assert resumed_user.id == user.id
    assert auth_sessions.resume(session=session, secret=started.handoff_code) is None
    assert auth_sessions.resume(session=session, secret=tokens.new_secret()) is None
    assert auth_sessions.resume(session=session, secret="") is None


def test_check_by_id(session: Session, user: User) -> None:
    started = _start(session, user)
    checked = auth_sessions.check(session=session, session_id=started.session_id)
    assert checked is not None
    assert checked.id == user.id
    assert auth_sessions.check(session=session, session_id=started.session_id + 1000) is None


def test_idle_non_persistent_session_ends(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, now=now)
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes)
    almost = now + idle - dt.timedelta(seconds=1)
    assert (
        auth_sessions.check(session=session, session_id=started.session_id, now=almost) is not None
    )
    session.commit()
    # That check refreshed the idle timer, so the session lives another idle period.
    later = almost + idle - dt.timedelta(seconds=1)
    assert (
        auth_sessions.check(session=session, session_id=started.session_id, now=later) is not None
    )
    session.commit()
    assert (
        auth_sessions.check(session=session, session_id=started.session_id, now=later + idle)
        is None
    )


def test_idle_session_ends_at_exactly_the_limit(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, now=now)
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes)
    assert (
        auth_sessions.check(session=session, session_id=started.session_id, now=now + idle) is None
    )


def test_idle_ends_resume_too(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, now=now)
    redeemed = _redeem(session, started.handoff_code, now=now)
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes)
    later = now + idle + dt.timedelta(minutes=1)
    assert auth_sessions.resume(session=session, secret=redeemed.secret, now=later) is None


def test_persistent_session_survives_idleness(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, persistent=True, now=now)
    redeemed = _redeem(session, started.handoff_code, now=now)
    later = now + dt.timedelta(days=2)
    assert (
        auth_sessions.check(session=session, session_id=started.session_id, now=later) is not None
    )
    assert auth_sessions.resume(session=session, secret=redeemed.secret, now=later) is not None


def test_touch_is_throttled(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, now=now)
    soon = now + auth_sessions.TOUCH_INTERVAL - dt.timedelta(seconds=1)
    assert auth_sessions.check(session=session, session_id=started.session_id, now=soon) is not None
    session.commit()
    assert _row(session, started.session_id).last_seen_at == now
    later = now + auth_sessions.TOUCH_INTERVAL
    assert (
        auth_sessions.check(session=session, session_id=started.session_id, now=later) is not None
    )
    session.commit()
    assert _row(session, started.session_id).last_seen_at == later


def test_absolute_expiry_of_an_active_session(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, now=now)
    absolute = dt.timedelta(hours=get_settings().session_absolute_hours)
    step = dt.timedelta(minutes=20)
    moment = now + step
    while moment < now + absolute:
        assert auth_sessions.check(session=session, session_id=started.session_id, now=moment)
        session.commit()
        moment += step
    assert auth_sessions.check(session=session, session_id=started.session_id, now=moment) is None


def test_absolute_expiry_of_a_persistent_session(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, persistent=True, now=now)
    redeemed = _redeem(session, started.handoff_code, now=now)
    end = now + dt.timedelta(days=get_settings().remember_me_days)
    before = end - dt.timedelta(seconds=1)
    assert (
        auth_sessions.check(session=session, session_id=started.session_id, now=before) is not None
    )
    assert auth_sessions.check(session=session, session_id=started.session_id, now=end) is None
    assert auth_sessions.resume(session=session, secret=redeemed.secret, now=end) is None


def test_revoke_ends_one_session(session: Session, user: User) -> None:
    first = _start(session, user)
    second = _start(session, user)
    secret = _redeem(session, first.handoff_code).secret
    session_ends.revoke(session=session, session_id=first.session_id)
    session.commit()
    assert auth_sessions.check(session=session, session_id=first.session_id) is None
    assert auth_sessions.resume(session=session, secret=secret) is None
    assert auth_sessions.check(session=session, session_id=second.session_id) is not None
    assert _row(session, first.session_id).revoked_at is not None


def test_revoke_keeps_the_first_revocation_time(session: Session, user: User) -> None:
    now = utcnow()
    started = _start(session, user, now=now)
    session_ends.revoke(session=session, session_id=started.session_id, now=now)
    session_ends.revoke(
        session=session, session_id=started.session_id, now=now + dt.timedelta(hours=1)
    )
    session.commit()
    assert _row(session, started.session_id).revoked_at == now


def test_revoke_all_ends_every_session_of_one_user(session: Session, user: User) -> None:
    other = accounts.create_user(session=session, username="bob", password=PASSWORD)
    session.commit()
    mine = [_start(session, user), _start(session, user, persistent=True)]
    theirs = _start(session, other)
    assert user.id is not None
    session_ends.revoke_all(session=session, user_id=user.id)
    session.commit()
    for started in mine:
        assert auth_sessions.check(session=session, session_id=started.session_id) is None
    assert auth_sessions.check(session=session, session_id=theirs.session_id) is not None


def test_disabled_user_gets_none(session: Session, user: User) -> None:
    started = _start(session, user)
    secret = _redeem(session, started.handoff_code).secret
    user.is_active = False
    session.add(user)
    session.commit()
    assert auth_sessions.check(session=session, session_id=started.session_id) is None
    assert auth_sessions.resume(session=session, secret=secret) is None


def test_only_digests_are_stored(session: Session, user: User) -> None:
    started = _start(session, user, persistent=True)
    code_row = _row(session, started.session_id)
    code_values = [str(value) for value in code_row.model_dump().values()]
    assert not any(started.handoff_code in value for value in code_values)
    assert tokens.digest(started.handoff_code) in code_values

    secret = _redeem(session, started.handoff_code).secret
    row = _row(session, started.session_id)
    values = [str(value) for value in row.model_dump().values()]
    assert not any(secret in value or started.handoff_code in value for value in values)
    assert row.secret_hash == tokens.digest(secret)
    stored_hashes = session.exec(select(AuthSession.secret_hash)).all()
    assert stored_hashes == [tokens.digest(secret)]


def test_deleting_a_user_deletes_their_sessions(session: Session, user: User) -> None:
    started = _start(session, user)
    session.delete(user)
    session.commit()
    session.expire_all()
    assert session.get(AuthSession, started.session_id) is None
