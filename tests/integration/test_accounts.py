"""Account service on real databases: signup rules, authentication and listing."""

from __future__ import annotations

import bcrypt
import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from nfp_app.models import User
from nfp_app.security.policy import PolicyError
from nfp_app.services import accounts
from tests.support.accounts import PASSWORD


def _create(
    session: Session, username: str, *, email: str | None = None, is_admin: bool = False
) -> User:
    user = accounts.create_user(
        session=session, username=username, password=PASSWORD, email=email, is_admin=is_admin
    )
    session.commit()
    return user


def test_create_user_stores_name_as_typed_and_key_normalised(session: Session) -> None:
    user = _create(session, "Alice", email="Alice@Example.com")
    session.expire_all()
    stored = session.exec(select(User)).one()
    assert stored.id == user.id
    assert stored.username == "Alice"
    assert stored.username_key == "alice"
    assert stored.email == "Alice@Example.com"
    assert stored.hashed_password.startswith("$bcrypt-sha256$")
    assert PASSWORD not in stored.hashed_password
    assert stored.is_active
    assert not stored.is_admin
    assert stored.created_at.tzinfo is not None
    assert stored.last_login_at is None


@pytest.mark.parametrize("second", ["alice", "ALICE", "ａｌｉｃｅ", " Alice "])
def test_username_taken_ignores_case_and_width(session: Session, second: str) -> None:
    _create(session, "Alice")
    with pytest.raises(accounts.UsernameTakenError) as caught:
        _create(session, second)
    assert caught.value.field == "username"
    session.rollback()
    assert len(session.exec(select(User)).all()) == 1


def test_duplicate_email_is_refused_case_insensitively(session: Session) -> None:
    _create(session, "alice", email="alice@example.com")
    with pytest.raises(accounts.EmailTakenError) as caught:
        _create(session, "bob", email="ALICE@Example.COM")
    assert caught.value.field == "email"
    session.rollback()
    assert [u.username for u in session.exec(select(User)).all()] == ["alice"]


def test_users_without_email_do_not_collide(session: Session) -> None:
    _create(session, "alice")
    _create(session, "bob", email="")
    assert [u.email for u in session.exec(select(User)).all()] == [None, None]


@pytest.mark.parametrize(
    ("username", "password", "email", "field"),
    [
        ("al", PASSWORD, None, "username"),
        ("ali\u200bce", PASSWORD, None, "username"),
        ("ali\u202ece", PASSWORD, None, "username"),
        ("alice", "short", None, "password"),
        ("alice", "pass\x00word1", None, "password"),
        ("alice", "p" * 1025, None, "password"),
        ("alice", PASSWORD, "not-an-email", "email"),
    ],
)
def test_bad_input_is_refused(
    session: Session, username: str, password: str, email: str | None, field: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        accounts.create_user(session=session, username=username, password=password, email=email)
    assert caught.value.field == field
    session.rollback()
    assert session.exec(select(User)).all() == []


def test_authenticate_right_password(session: Session) -> None:
    user = _create(session, "Alice")
    for name in ("Alice", "alice", "ALICE", "ａｌｉｃｅ"):
        found = accounts.authenticate(session=session, username=name, password=PASSWORD)
        assert found is not None
        assert found.id == user.id


def test_authenticate_wrong_password(session: Session) -> None:
    _create(session, "alice")
    assert accounts.authenticate(session=session, username="alice", password=PASSWORD + "x") is None
    assert accounts.authenticate(session=session, username="alice", password="") is None


def test_authenticate_unknown_user(session: Session) -> None:
    _create(session, "alice")
    assert accounts.authenticate(session=session, username="bob", password=PASSWORD) is None
    assert accounts.authenticate(session=session, username="", password=PASSWORD) is None


def test_authenticate_overlong_input(session: Session) -> None:
    _create(session, "alice")
    assert accounts.authenticate(session=session, username="alice", password="p" * 5000) is None
    assert accounts.authenticate(session=session, username="a" * 5000, password=PASSWORD) is None


def test_authenticate_inactive_user(session: Session) -> None:
    user = _create(session, "alice")
    user.is_active = False
    session.add(user)
    session.commit()
    assert accounts.authenticate(session=session, username="alice", password=PASSWORD) is None


def test_legacy_bcrypt_hash_is_upgraded_on_sign_in(session: Session) -> None:
    user = _create(session, "alice")
    legacy = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    user.hashed_password = legacy
    session.add(user)
    session.commit()

    found = accounts.authenticate(session=session, username="alice", password=PASSWORD)
    assert found is not None
    session.commit()
    session.expire_all()
    stored = session.exec(select(User)).one()
    assert stored.hashed_password.startswith("$bcrypt-sha256$")
    assert stored.hashed_password != legacy
    again = accounts.authenticate(session=session, username="alice", password=PASSWORD)
    assert again is not None
    assert accounts.authenticate(session=session, username="alice", password="wrong pass") is None


def test_legacy_hash_is_kept_after_a_wrong_password(session: Session) -> None:
    user = _create(session, "alice")
    legacy = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    user.hashed_password = legacy
    session.add(user)
    session.commit()
    assert accounts.authenticate(session=session, username="alice", password="wrong pass") is None
    session.commit()
    session.expire_all()
    assert session.exec(select(User)).one().hashed_password == legacy


def test_find_and_get_user(session: Session) -> None:
    user = _create(session, "Alice")
    assert user.id is not None
    found = accounts.find_by_username(session=session, username="ALICE")
    assert found is not None
    assert found.id == user.id
    assert accounts.find_by_username(session=session, username="bob") is None
    assert accounts.get_user(session=session, user_id=user.id) is not None
    assert accounts.get_user(session=session, user_id=user.id + 1000) is None


def test_list_users_pages_in_creation_order(session: Session) -> None:
    names = [f"user{i:02d}" for i in range(7)]
    for name in names:
        _create(session, name)
    page, total = accounts.list_users(session=session, offset=0, limit=3)
    assert total == 7
    assert [u.username for u in page] == names[:3]
    page, total = accounts.list_users(session=session, offset=3, limit=3)
    assert [u.username for u in page] == names[3:6]
    page, total = accounts.list_users(session=session, offset=6, limit=3)
    assert [u.username for u in page] == names[6:]
    page, total = accounts.list_users(session=session, offset=50, limit=3)
    assert page == []
    assert total == 7


def test_list_users_empty(session: Session) -> None:
    assert accounts.list_users(session=session, offset=0, limit=20) == ([], 0)


def test_count_admins_counts_active_admins_only(session: Session) -> None:
    assert accounts.count_admins(session=session) == 0
    _create(session, "root", is_admin=True)
    disabled = _create(session, "old_root", is_admin=True)
    _create(session, "plain")
    assert accounts.count_admins(session=session) == 2
    disabled.is_active = False
    session.add(disabled)
    session.commit()
    assert accounts.count_admins(session=session) == 1


def test_database_refuses_emails_differing_only_in_case(session: Session) -> None:
    """The unique index on lower(email) holds even when the service's check is bypassed."""
    for name, email in (("first", "Ann@Example.com"), ("second", "ann@example.com")):
        session.add(User(username=name, username_key=name, email=email, hashed_password="x"))
    with pytest.raises(IntegrityError):
        session.flush()
