"""Passkeys over REST on the production app: add one, sign in with it for a bearer token,
rename and remove it, the refusals, and /.well-known/passkey-endpoints."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from nfp_app.infra import db
from nfp_app.models import utcnow
from nfp_app.services import passkey_ceremonies, passkey_signup
from tests.support.accounts import unique_name
from tests.support.api import Account, bearer, login
from tests.support.overrides import Override
from tests.support.soft_authenticator import SoftAuthenticator, tampered

pytestmark = [pytest.mark.api, pytest.mark.postgres]


@pytest.fixture(scope="module")
def app_url(api: httpx.Client) -> str:
    """The live app's APP_URL, read from the well-known document (its origin and RP ID)."""
    enroll = api.get("/.well-known/passkey-endpoints").json()["enroll"]
    return enroll.removesuffix("/account#passkeys")


def add_passkey(
    api: httpx.Client, token: str, authenticator: SoftAuthenticator, password: str | None
) -> dict[str, Any]:
    """Both registration calls; the new passkey as the API shows it."""
    started = api.post(
        "/users/me/passkeys/registration/options",
        json={"password": password} if password else {},
        headers=bearer(token),
    )
    assert started.status_code == 200, started.text
    body = started.json()
    done = api.post(
        "/users/me/passkeys/registration/verify",
        json={
            "handle": body["handle"],
            "credential": authenticator.create(body["options"]),
            "name": "Laptop",
        },
        headers=bearer(token),
    )
    assert done.status_code == 201, done.text
    return done.json()


def options(api: httpx.Client) -> dict[str, Any]:
    """A started passkey sign-in: handle and options."""
    started = api.post("/passkeys/authentication/options")
    assert started.status_code == 200, started.text
    return started.json()


def verify(api: httpx.Client, handle: str, credential: dict[str, Any]) -> httpx.Response:
    """Finish a passkey sign-in."""
    return api.post(
        "/passkeys/authentication/verify", json={"handle": handle, "credential": credential}
    )


def test_well_known_passkey_endpoints_point_at_the_account_page(
    api: httpx.Client, app_url: str
) -> None:
    found = api.get("/.well-known/passkey-endpoints")
    assert found.status_code == 200
    assert found.headers["content-type"] == "application/json"
    assert found.json() == {
        "enroll": f"{app_url}/account#passkeys",
        "manage": f"{app_url}/account#passkeys",
    }


def test_a_passkey_added_over_rest_signs_in_for_a_token(
    api: httpx.Client, account: Account, app_url: str
) -> None:
    authenticator = SoftAuthenticator(origin=app_url)
    token = login(api, account)
    no_password = api.post(
        "/users/me/passkeys/registration/options", json={}, headers=bearer(token)
    )
    assert no_password.status_code == 403
    added = add_passkey(api, token, authenticator, account.password)
    assert added["name"] == "Laptop"
    assert added["last_used_at"] is None
    listed = api.get("/users/me/passkeys", headers=bearer(token)).json()
    assert [item["id"] for item in listed] == [added["id"]]

    started = options(api)
    assert started["options"]["rpId"] == app_url.split("//")[1].split(":")[0]
    signed_in = verify(api, started["handle"], authenticator.get(started["options"]))

    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["token_type"] == "bearer"
    me = api.get("/users/me/", headers=bearer(signed_in.json()["access_token"]))
    assert me.status_code == 200
    assert me.json()["username"] == account.username


def test_wrong_origin_replay_and_tampering_are_refused(
    api: httpx.Client, account: Account, app_url: str
) -> None:
    authenticator = SoftAuthenticator(origin=app_url)
    add_passkey(api, login(api, account), authenticator, account.password)

    started = options(api)
    phished = authenticator.get(started["options"], origin="https://evil.example")
    assert verify(api, started["handle"], phished).status_code == 401

    started = options(api)
    forged = tampered(authenticator.get(started["options"]))
    assert verify(api, started["handle"], forged).status_code == 401

    started = options(api)
    assertion = authenticator.get(started["options"])
    assert verify(api, started["handle"], assertion).status_code == 200
    replayed = verify(api, started["handle"], assertion)
    assert replayed.status_code == 401
    assert replayed.headers["www-authenticate"] == "Bearer"


def test_rename_and_remove(api: httpx.Client, account: Account, app_url: str) -> None:
    token = login(api, account)
    added = add_passkey(api, token, SoftAuthenticator(origin=app_url), account.password)
    path = f"/users/me/passkeys/{added['id']}"

    renamed = api.patch(path, json={"name": "Work phone"}, headers=bearer(token))
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Work phone"
    assert api.patch(path, json={"name": "\u202e"}, headers=bearer(token)).status_code == 400
    assert api.delete(path, headers=bearer(token)).status_code == 204
    assert api.delete(path, headers=bearer(token)).status_code == 404
    assert api.get("/users/me/passkeys", headers=bearer(token)).json() == []


def test_another_users_passkey_is_not_found(
    api: httpx.Client, account: Account, app_url: str
) -> None:
    added = add_passkey(
        api, login(api, account), SoftAuthenticator(origin=app_url), account.password
    )
    other = api.post("/users/", json={"username": unique_name(), "password": account.password})
    other_token = login(
        api, Account(other.json()["id"], other.json()["username"], account.password)
    )
    path = f"/users/me/passkeys/{added['id']}"
    assert api.patch(path, json={"name": "mine"}, headers=bearer(other_token)).status_code == 404
    assert api.delete(path, headers=bearer(other_token)).status_code == 404


def test_the_last_passkey_of_a_passwordless_account_is_refused_with_409(
    api: httpx.Client, live_engine: sa.Engine, app_url: str, override: Override
) -> None:
    override(APP_URL=app_url)
    authenticator = SoftAuthenticator(origin=app_url)
    with db.session_scope(live_engine) as session:
        user = passkey_signup.create_passwordless_user(
            session=session, username=unique_name("pk"), email=None
        )
        now = utcnow()
        ceremony = passkey_ceremonies.begin_registration(session=session, user=user, now=now)
        passkey_ceremonies.finish_registration(
            session=session,
            user=user,
            handle=ceremony.handle,
            credential=authenticator.create(ceremony.options),
            name="Only",
            now=now,
        )
    started = options(api)
    token = verify(api, started["handle"], authenticator.get(started["options"])).json()[
        "access_token"
    ]
    # A passkey-only account adds another passkey without a password.
    second = add_passkey(api, token, SoftAuthenticator(origin=app_url), None)
    assert (
        api.delete(f"/users/me/passkeys/{second['id']}", headers=bearer(token)).status_code == 204
    )

    [only] = api.get("/users/me/passkeys", headers=bearer(token)).json()
    refused = api.delete(f"/users/me/passkeys/{only['id']}", headers=bearer(token))

    assert refused.status_code == 409
    assert "only way to sign in" in refused.json()["detail"]
    guess = {"username": user.username, "password": "no-password-at-all-1"}
    assert api.post("/token", data=guess).status_code == 401
