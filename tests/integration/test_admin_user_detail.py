"""The console's page of one account on real databases: profile, live sessions, latest events."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.models import AuthEvent, AuthSession, User, utcnow
from nfp_app.services import accounts, admin_user_detail
from nfp_app.services.admin_user_detail import load_user_detail, parse_id
from tests.support.accounts import PASSWORD

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


def _user(session: Session, name: str, **fields: object) -> User:
    user = accounts.create_user(session=session, username=name, password=PASSWORD)
    for key, value in fields.items():
        setattr(user, key, value)
    session.add(user)
    session.commit()
    return user


def _session_row(session: Session, user: User, **fields: object) -> int:
    assert user.id is not None
    values: dict[str, object] = {
        "user_id": user.id,
        "created_at": NOW - dt.timedelta(hours=1),
        "last_seen_at": NOW - dt.timedelta(minutes=1),
        "expires_at": NOW + dt.timedelta(hours=1),
        "user_agent": CHROME,
        "ip": "203.0.113.7",
        **fields,
    }
    row = AuthSession.model_validate(values)
    session.add(row)
    session.commit()
    assert row.id is not None
    return row.id


def _event(session: Session, user: User | None, event: str, at: dt.datetime) -> int:
    row = AuthEvent(
        created_at=at,
        event=event,
        outcome="success",
        user_id=user.id if user else None,
        username=user.username if user else "someone",
        ip="198.51.100.4",
        detail=f"{event} detail",
    )
    session.add(row)
    session.commit()
    assert row.id is not None
    return row.id


def test_profile_fields(session: Session) -> None:
    verified_at = NOW - dt.timedelta(days=2)
    user = _user(
        session,
        "alice",
        email="alice@example.com",
        is_admin=True,
        email_verified_at=verified_at,
        last_login_at=NOW - dt.timedelta(hours=3),
    )
    profile = load_user_detail(session=session, user_id=user.id or 0, now=NOW).profile
    assert profile.id == user.id
    assert (profile.username, profile.email) == ("alice", "alice@example.com")
    assert (profile.is_active, profile.is_admin, profile.is_verified) == (True, True, True)
    assert profile.created_at == user.created_at
    assert profile.last_login_at == NOW - dt.timedelta(hours=3)
    assert profile.password_changed_at == user.password_changed_at
    plain = _user(session, "bob", is_active=False)
    profile = load_user_detail(session=session, user_id=plain.id or 0, now=NOW).profile
    assert (profile.email, profile.is_active, profile.is_admin) == (None, False, False)
    assert (profile.is_verified, profile.last_login_at) == (False, None)


def test_only_live_sessions_newest_first(session: Session) -> None:
    alice, bob = _user(session, "alice"), _user(session, "bob")
    idle = dt.timedelta(minutes=get_settings().session_idle_minutes + 1)
    older = _session_row(session, alice, created_at=NOW - dt.timedelta(hours=5))
    newer = _session_row(session, alice, created_at=NOW - dt.timedelta(minutes=30))
    remembered = _session_row(
        session,
        alice,
        persistent=True,
        created_at=NOW - dt.timedelta(hours=2),
        last_seen_at=NOW - idle,
        user_agent="",
    )
    # Not live: revoked, past its expiry, idle too long without "remember me"; bob's own.
    _session_row(session, alice, revoked_at=NOW - dt.timedelta(minutes=5))
    _session_row(session, alice, expires_at=NOW - dt.timedelta(seconds=1))
    _session_row(session, alice, last_seen_at=NOW - idle)
    _session_row(session, bob)

    sessions = load_user_detail(session=session, user_id=alice.id or 0, now=NOW).sessions
    assert [row.id for row in sessions] == [newer, remembered, older]
    first = sessions[0]
    assert (first.ip, first.user_agent, first.device) == ("203.0.113.7", CHROME, "Chrome on Linux")
    assert first.persistent is False
    assert first.created_at == NOW - dt.timedelta(minutes=30)
    assert first.last_seen_at == NOW - dt.timedelta(minutes=1)
    assert (sessions[1].persistent, sessions[1].device) == (True, "Unknown device")


def test_latest_events_of_this_user_only(session: Session) -> None:
    alice, bob = _user(session, "alice"), _user(session, "bob")
    start = len(load_user_detail(session=session, user_id=alice.id or 0).events)
    assert start == 1  # the signup
    # After the signup, whose time is the real clock's.
    base = utcnow() + dt.timedelta(days=1)
    ids = [_event(session, alice, "login", base + dt.timedelta(minutes=i)) for i in range(25)]
    # Two events in the same instant: the later id comes first.
    tie = base + dt.timedelta(days=1)
    tied = [_event(session, alice, "logout", tie), _event(session, alice, "login", tie)]
    _event(session, bob, "login", tie + dt.timedelta(hours=1))
    _event(session, None, "login", tie + dt.timedelta(hours=1))

    events = load_user_detail(session=session, user_id=alice.id or 0).events
    assert len(events) == admin_user_detail.EVENTS_SHOWN == 20
    assert [e.id for e in events[:2]] == tied[::-1]
    assert [e.id for e in events[2:]] == ids[::-1][:18]
    assert events[0].event == "login"
    assert (events[0].outcome, events[0].ip, events[0].detail) == (
        "success",
        "198.51.100.4",
        "login detail",
    )
    few = load_user_detail(session=session, user_id=alice.id or 0, events=3).events
    assert [e.id for e in few] == [*tied[::-1], ids[-1]]
    assert load_user_detail(session=session, user_id=alice.id or 0, events=0).events == ()


@pytest.mark.parametrize("user_id", [0, -1, 987_654, 2**31, 2**63])
def test_unknown_or_impossible_ids(session: Session, user_id: int) -> None:
    _user(session, "alice")
    with pytest.raises(accounts.UserNotFoundError) as refused:
        load_user_detail(session=session, user_id=user_id)
    assert refused.value.message == "No such user."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("42", 42),
        (str(2**31 - 1), 2**31 - 1),
        (str(2**31), None),
        ("0", None),
        ("-3", None),
        ("+3", None),
        (" 3", None),
        ("3.0", None),
        ("1e3", None),
        ("٣", None),  # an Arabic-Indic digit: isdigit() says yes, an id it is not
        ("", None),
        ("abc", None),
        (None, None),
        (7, None),
    ],
)
def test_parse_id(text: object, expected: int | None) -> None:
    assert parse_id(text) == expected
