"""Every documented status code of every route, on the live app."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import select

from nfp_app.infra import db
from nfp_app.models import User
from tests.support.accounts import unique_name
from tests.support.api import PASSWORD, Account, bearer, login, signup

pytestmark = [pytest.mark.api, pytest.mark.postgres]


def test_token_success_shape(api: httpx.Client, account: Account) -> None:
    response = api.post("/token", data={"username": account.username, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type"}
    assert body["token_type"] == "bearer"


def test_token_failures_are_one_401(api: httpx.Client, account: Account) -> None:
    wrong = api.post("/token", data={"username": account.username, "password": "wrong-password"})
    unknown = api.post("/token", data={"username": unique_name("ghost"), "password": PASSWORD})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    assert wrong.json() == unknown.json()


def test_token_name_is_case_insensitive(api: httpx.Client, account: Account) -> None:
    response = api.post("/token", data={"username": account.username.upper(), "password": PASSWORD})
    assert response.status_code == 200


def test_token_missing_fields_is_422(api: httpx.Client) -> None:
    assert api.post("/token", data={"username": "someone"}).status_code == 422
    assert api.post("/token").status_code == 422


def test_signup_returns_public_user(api: httpx.Client) -> None:
    name = unique_name()
    response = api.post(
        "/users/", json={"username": name, "password": PASSWORD, "email": f"{name}@example.com"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id", "username", "email", "is_active", "is_admin", "created_at", "last_login_at"
    }  # fmt: skip
    assert (body["username"], body["email"], body["is_admin"]) == (
        name,
        f"{name}@example.com",
        False,
    )


def test_signup_duplicate_is_409(api: httpx.Client, account: Account) -> None:
    response = api.post(
        "/users/", json={"username": account.username.upper(), "password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "That username is already taken."}


def test_signup_duplicate_email_is_409(api: httpx.Client) -> None:
    email = f"{unique_name()}@example.com"
    first = api.post(
        "/users/", json={"username": unique_name(), "password": PASSWORD, "email": email}
    )
    assert first.status_code == 200
    again = api.post(
        "/users/", json={"username": unique_name(), "password": PASSWORD, "email": email}
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "ab", "password": PASSWORD}, "username"),
        ({"username": "has space", "password": PASSWORD}, "username"),
        ({"username": "okname", "password": "short"}, "password"),
        ({"username": "okname", "password": PASSWORD, "email": "not-an-email"}, "email"),
        ({"password": PASSWORD}, "username"),
        ({"username": "okname"}, "password"),
        ({"username": 123, "password": PASSWORD}, "username"),
    ],
)
def test_signup_invalid_is_422(api: httpx.Client, body: dict[str, object], field: str) -> None:
    response = api.post("/users/", json=body)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [error["loc"] for error in errors] == [["body", field]]
    assert all("input" not in error for error in errors), "422s must not echo input back"


def test_me_and_items(api: httpx.Client, account: Account) -> None:
    headers = bearer(login(api, account))
    me = api.get("/users/me/", headers=headers)
    assert me.status_code == 200
    assert me.json()["id"] == account.id
    assert me.json()["last_login_at"] is not None
    assert api.get("/users/me/items/", headers=headers).status_code == 200


@pytest.mark.parametrize("path", ["/users/me/", "/users/me/items/"])
@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-token", "Basic Zm9vOmJhcg=="])
def test_protected_routes_need_a_token(api: httpx.Client, path: str, header: str | None) -> None:
    response = api.get(path, headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_logout_revokes_the_session(api: httpx.Client, account: Account) -> None:
    token, other = login(api, account), login(api, account)
    assert api.post("/logout", headers=bearer(token)).status_code == 204
    assert api.get("/users/me/", headers=bearer(token)).status_code == 401
    assert api.post("/logout", headers=bearer(token)).status_code == 401
    # Only that session ends: a token from another sign-in keeps working.
    assert api.get("/users/me/", headers=bearer(other)).status_code == 200


def test_logout_without_token_is_401(api: httpx.Client) -> None:
    assert api.post("/logout").status_code == 401


def test_admin_lists_users_in_pages(api: httpx.Client, admin: Account) -> None:
    for _ in range(3):
        signup(api)
    headers = bearer(login(api, admin))
    first = api.get("/users/", params={"limit": 2}, headers=headers)
    assert first.status_code == 200
    page = first.json()
    assert (len(page["items"]), page["offset"], page["limit"]) == (2, 0, 2)
    assert page["total"] >= 4
    second = api.get("/users/", params={"offset": 2, "limit": 2}, headers=headers).json()
    assert {u["id"] for u in page["items"]}.isdisjoint({u["id"] for u in second["items"]})
    default = api.get("/users/", headers=headers).json()
    assert default["limit"] == 20


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "x"}])
def test_admin_list_bad_paging_is_422(
    api: httpx.Client, admin: Account, params: dict[str, int | str]
) -> None:
    headers = bearer(login(api, admin))
    assert api.get("/users/", params=params, headers=headers).status_code == 422


def test_non_admin_gets_403(api: httpx.Client, account: Account, admin: Account) -> None:
    headers = bearer(login(api, account))
    assert api.get("/users/", headers=headers).status_code == 403
    response = api.patch(f"/users/{admin.id}", json={"is_active": False}, headers=headers)
    assert response.status_code == 403
    assert (
        api.patch(f"/users/{account.id}", json={"is_admin": True}, headers=headers).status_code
        == 403
    )


def test_admin_routes_need_a_token(api: httpx.Client) -> None:
    assert api.get("/users/").status_code == 401
    assert api.patch("/users/1", json={"is_admin": True}).status_code == 401


def test_admin_sets_active_and_admin(api: httpx.Client, admin: Account, account: Account) -> None:
    headers = bearer(login(api, admin))
    response = api.patch(f"/users/{account.id}", json={"is_admin": True}, headers=headers)
    assert response.status_code == 200
    assert response.json()["is_admin"] is True
    assert api.get("/users/", headers=bearer(login(api, account))).status_code == 200
    response = api.patch(
        f"/users/{account.id}", json={"is_admin": False, "is_active": False}, headers=headers
    )
    assert (response.json()["is_admin"], response.json()["is_active"]) == (False, False)
    assert (
        api.post("/token", data={"username": account.username, "password": PASSWORD}).status_code
        == 401
    )
    response = api.patch(f"/users/{account.id}", json={"is_active": True}, headers=headers)
    assert response.json()["is_active"] is True
    assert login(api, account)


def test_patch_unknown_user_is_404(api: httpx.Client, admin: Account) -> None:
    headers = bearer(login(api, admin))
    assert api.patch("/users/999999", json={"is_active": False}, headers=headers).status_code == 404


@pytest.mark.parametrize("path", ["/users/0", "/users/abc", "/users/99999999999999999999"])
def test_patch_bad_id_is_422(api: httpx.Client, admin: Account, path: str) -> None:
    headers = bearer(login(api, admin))
    assert api.patch(path, json={"is_active": False}, headers=headers).status_code == 422


def test_last_admin_cannot_be_removed(
    api: httpx.Client, admin: Account, live_engine: sa.Engine
) -> None:
    with db.session_scope(live_engine) as session:
        others = session.exec(select(User).where(User.is_admin, User.id != admin.id)).all()
        for other in others:
            other.is_admin = False
            session.add(other)
    headers = bearer(login(api, admin))
    for change in ({"is_admin": False}, {"is_active": False}):
        response = api.patch(f"/users/{admin.id}", json=change, headers=headers)
        assert response.status_code == 409
    assert api.get("/users/me/", headers=headers).json()["is_admin"] is True
