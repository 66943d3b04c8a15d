"""SEC-5: usernames are NFKC + casefold unique, 3-32 letters, digits or . _ -, nothing invisible."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from nfp_app.security import policy
from nfp_app.security.policy import PolicyError
from nfp_app.services import accounts
from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp
from tests.support.security import client

pytestmark = [pytest.mark.security]

INVISIBLE_OR_CONTROL = [
    "ali\u200bce",  # zero-width space
    "ali\u200cce",  # zero-width non-joiner
    "ali\u200dce",  # zero-width joiner
    "ali\u2060ce",  # word joiner
    "ali\ufeffce",  # byte order mark
    "ali\u202ece",  # right-to-left override
    "ali\u202dce",  # left-to-right override
    "ali\u2067ce",  # right-to-left isolate
    "ali\x00ce",
    "ali\x1bce",
    "ali\tce",
    "ali\x7fce",
    "ali\u0085ce",
]


@pytest.mark.parametrize("name", ["abc", "a" * 32, "a.b_c-d", "Zoë", "用户名", "user_01"])
def test_sec05_allowlist_accepts(name: str) -> None:
    assert policy.check_username(name) == name


@pytest.mark.parametrize(
    "name", ["ab", "a" * 33, "a b", "a@b", "a/b", "a'b", "<b>", "😀😀😀", *INVISIBLE_OR_CONTROL]
)
def test_sec05_allowlist_refuses(name: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policy.check_username(name)
    assert caught.value.field == "username"


def test_sec05_uniqueness_key_is_nfkc_casefold() -> None:
    keys = {policy.normalize_username(n) for n in ("Alice", "ALICE", "ａｌｉｃｅ", "ＡＬＩＣＥ")}
    assert keys == {"alice"}
    assert policy.normalize_username("STRASSE") == policy.normalize_username("straße")


@pytest.mark.parametrize("second", ["ALICE", "ａｌｉｃｅ", "Alice"])
def test_sec05_service_refuses_variants_of_a_taken_name(session: Session, second: str) -> None:
    accounts.create_user(session=session, username="alice", password=PASSWORD)
    session.commit()
    with pytest.raises(accounts.UsernameTakenError):
        accounts.create_user(session=session, username=second, password=PASSWORD)


@pytest.mark.parametrize("name", INVISIBLE_OR_CONTROL[:8])
def test_sec05_service_refuses_invisible_characters(session: Session, name: str) -> None:
    with pytest.raises(PolicyError):
        accounts.create_user(session=session, username=name, password=PASSWORD)


@pytest.mark.postgres
def test_sec05_rest(live_app: LiveApp) -> None:
    name = unique_name("uni")
    with client(live_app.base_url) as http:
        assert (
            http.post("/users/", json={"username": name, "password": PASSWORD}).status_code == 200
        )
        for variant in (name.upper(), name.translate({ord("u"): "ｕ"})):
            response = http.post("/users/", json={"username": variant, "password": PASSWORD})
            assert response.status_code == 409
        for bad in ["ab", "a" * 33, "bad name", "ev\u202eil", "zero\u200bwidth", "nul\x00x"]:
            response = http.post("/users/", json={"username": bad, "password": PASSWORD})
            assert response.status_code == 422, bad
        token = http.post("/token", data={"username": name.upper(), "password": PASSWORD})
        assert token.status_code == 200
