"""Odd, huge and malicious input gets a 4xx, never a 500, and never reaches SQL as code."""

from __future__ import annotations

import httpx
import pytest

from tests.support.accounts import unique_name
from tests.support.api import PASSWORD, Account, bearer, login

pytestmark = [pytest.mark.api, pytest.mark.postgres]

SQL_LOOKING = [
    "' OR '1'='1",
    "admin'--",
    '"; DROP TABLE "user"; --',
    'x\' UNION SELECT hashed_password FROM "user" --',
    "%' OR username LIKE '%",
]


def test_huge_username_is_4xx(api: httpx.Client) -> None:
    huge = "a" * 10_000
    signup = api.post("/users/", json={"username": huge, "password": PASSWORD})
    assert 400 <= signup.status_code < 500
    token = api.post("/token", data={"username": huge, "password": PASSWORD})
    assert token.status_code == 401


def test_huge_password_is_4xx(api: httpx.Client) -> None:
    response = api.post("/users/", json={"username": unique_name(), "password": "p" * 100_000})
    assert response.status_code == 422
    assert (
        api.post("/token", data={"username": "someone", "password": "p" * 100_000}).status_code
        == 401
    )


@pytest.mark.parametrize("name", SQL_LOOKING)
def test_sql_looking_usernames_are_harmless(api: httpx.Client, admin: Account, name: str) -> None:
    assert api.post("/users/", json={"username": name, "password": PASSWORD}).status_code == 422
    assert api.post("/token", data={"username": name, "password": PASSWORD}).status_code == 401
    assert api.post("/token", data={"username": name, "password": name}).status_code == 401
    # The table is still there and still answers.
    listing = api.get("/users/", headers=bearer(login(api, admin)))
    assert listing.status_code == 200
    assert listing.json()["total"] >= 1


def test_sql_looking_email_is_stored_as_text(api: httpx.Client) -> None:
    name = unique_name()
    email = f"{name}'--@example.com"
    response = api.post("/users/", json={"username": name, "password": PASSWORD, "email": email})
    assert response.status_code == 200
    assert response.json()["email"] == email


def test_privileged_and_unknown_fields_are_ignored(api: httpx.Client) -> None:
    name = unique_name()
    body = {
        "username": name,
        "password": PASSWORD,
        "is_admin": True,
        "is_active": False,
        "id": 1,
        "hashed_password": "$2b$04$" + "x" * 53,
        "favourite_colour": "blue",
    }
    response = api.post("/users/", json=body)
    assert response.status_code == 200
    created = response.json()
    assert (created["is_admin"], created["is_active"]) == (False, True)
    assert created["id"] != 1
    token = login(api, Account(created["id"], name, PASSWORD))
    assert api.get("/users/", headers=bearer(token)).status_code == 403


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"username=foo&password=bar", "application/x-www-form-urlencoded"),
        (b"just text", "text/plain"),
        (b"{not json", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b'{"username": "\xc3\x28", "password": "not utf-8"}', "application/json"),
    ],
)
def test_signup_body_that_is_not_a_json_object(
    api: httpx.Client, content: bytes, content_type: str
) -> None:
    response = api.post("/users/", content=content, headers={"Content-Type": content_type})
    assert response.status_code in (415, 422)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"username": "nul\\u0000name", "password": "correct horse battery"}',
        b'{"username": "\\ud800abc", "password": "correct horse battery"}',
        b'{"username": "okname12", "password": "correct horse \\udfff"}',
        b'{"username": "okname13", "password": "correct horse battery", "email": "a\\u0000@b.io"}',
    ],
)
def test_unstorable_text_is_422(api: httpx.Client, raw: bytes) -> None:
    response = api.post("/users/", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422


@pytest.mark.parametrize("username", ["nul\x00name", "caf\u00e9\u0301", "\u202eevil", "a" * 129])
def test_token_with_odd_usernames_is_401(api: httpx.Client, username: str) -> None:
    response = api.post("/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 401


@pytest.mark.parametrize("token", ["x" * 10_000, "a.b.c", "e30.e30.", "\u00e9t\u00e9"])
def test_garbage_bearer_tokens_are_401(api: httpx.Client, token: str) -> None:
    headers = {b"Authorization": f"Bearer {token}".encode()}
    assert api.get("/users/me/", headers=headers).status_code == 401


@pytest.mark.parametrize("path", ["/users/x%0Ay", "/users/%0A4", "/users/me%0D%0Ax", "/x%7F"])
def test_control_characters_in_a_path_get_a_json_404(
    api: httpx.Client, admin: Account, path: str
) -> None:
    """Found by schemathesis: an embedded newline slipped past the API to a plain-text 404."""
    response = api.patch(path, json={}, headers=bearer(login(api, admin)))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "Not Found"}
