"""The caller's own account over REST: POST /users/me/password, GET and DELETE
/users/me/sessions, DELETE /users/me."""

from __future__ import annotations

import httpx
import pytest

from tests.support.accounts import PASSWORD
from tests.support.api import Account, bearer, login, signup

pytestmark = [pytest.mark.api, pytest.mark.postgres]

NEW_PASSWORD = "violet tractor hums beneath 7 moons"


def test_change_password(api: httpx.Client, account: Account) -> None:
    token, other = login(api, account), login(api, account)
    wrong = api.post(
        "/users/me/password",
        json={"current_password": "not the password!", "new_password": NEW_PASSWORD},
        headers=bearer(token),
    )
    assert wrong.status_code == 403
    weak = api.post(
        "/users/me/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=bearer(token),
    )
    assert weak.status_code == 422
    done = api.post(
        "/users/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(token),
    )
    assert done.status_code == 200, done.text
    for old in (token, other):
        assert api.get("/users/me/", headers=bearer(old)).status_code == 401
    fresh = api.post("/token", data={"username": account.username, "password": NEW_PASSWORD})
    assert fresh.status_code == 200


def test_sessions_list_and_revoke(api: httpx.Client, account: Account) -> None:
    mine, other = login(api, account), login(api, account)
    listed = api.get("/users/me/sessions", headers=bearer(mine))
    assert listed.status_code == 200
    sessions = listed.json()
    assert len(sessions) == 2
    assert [s["current"] for s in sessions].count(True) == 1
    assert all(s["device"] == "python-httpx" for s in sessions)
    other_id = next(s["id"] for s in sessions if not s["current"])
    assert api.delete(f"/users/me/sessions/{other_id}", headers=bearer(mine)).status_code == 204
    assert api.get("/users/me/", headers=bearer(other)).status_code == 401
    # Gone now, and never someone else's: 404 either way.
    assert api.delete(f"/users/me/sessions/{other_id}", headers=bearer(mine)).status_code == 404
    stranger = login(api, signup(api))
    assert api.delete(f"/users/me/sessions/{other_id}", headers=bearer(stranger)).status_code == 404
    assert api.get("/users/me/", headers=bearer(mine)).status_code == 200


def test_delete_me(api: httpx.Client, account: Account) -> None:
    token = login(api, account)

    def delete(body: dict[str, str]) -> httpx.Response:
        return api.request("DELETE", "/users/me", json=body, headers=bearer(token))

    assert delete({"password": PASSWORD, "confirmation": "someone else"}).status_code == 422
    assert (
        delete({"password": "not the password!", "confirmation": account.username}).status_code
        == 403
    )
    assert delete({"password": PASSWORD, "confirmation": account.username}).status_code == 204
    assert api.get("/users/me/", headers=bearer(token)).status_code == 401
    gone = api.post("/token", data={"username": account.username, "password": PASSWORD})
    assert gone.status_code == 401
