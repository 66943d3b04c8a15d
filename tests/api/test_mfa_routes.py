"""REST sign-in with two-factor authentication: POST /token answers `mfa_required`, and only
POST /token/mfa with a code hands out the bearer token."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from nfp_app.infra import db
from nfp_app.security import tokens
from nfp_app.services import signin
from tests.support.api import Account, bearer, login
from tests.support.live_app import LiveApp
from tests.support.mfa import Enrolled, enable_mfa
from tests.support.overrides import Override

pytestmark = [pytest.mark.api, pytest.mark.postgres]


@pytest.fixture
def enrolled(
    live_app: LiveApp, live_engine: sa.Engine, account: Account, override: Override
) -> Enrolled:
    """2FA turned on for `account`, sealed with the live app's key."""
    override(SECRET_KEY=live_app.secret_key)
    return enable_mfa(live_engine, account.id, account.password)


def _mfa_token(api: httpx.Client, account: Account) -> str:
    response = api.post("/token", data={"username": account.username, "password": account.password})
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert set(body) == {"detail", "mfa_token"}
    assert body["detail"] == "mfa_required"
    return body["mfa_token"]


def _second(api: httpx.Client, mfa_token: str, code: str) -> httpx.Response:
    return api.post("/token/mfa", data={"mfa_token": mfa_token, "code": code})


def test_password_then_code_gives_a_token(
    api: httpx.Client, account: Account, enrolled: Enrolled
) -> None:
    mfa_token = _mfa_token(api, account)
    done = _second(api, mfa_token, enrolled.code())
    assert done.status_code == 200, done.text
    assert done.json()["token_type"] == "bearer"
    me = api.get("/users/me/", headers=bearer(done.json()["access_token"]))
    assert me.status_code == 200
    assert me.json()["mfa_enabled"] is True
    # The mfa_token is single-use, even with the next (valid) code.
    reused = _second(api, mfa_token, enrolled.code(1))
    assert reused.status_code == 401
    assert reused.headers["www-authenticate"] == "Bearer"
    assert "access_token" not in reused.text


def test_the_mfa_token_is_not_a_bearer_token(
    api: httpx.Client, account: Account, enrolled: Enrolled
) -> None:
    mfa_token = _mfa_token(api, account)
    assert api.get("/users/me/", headers=bearer(mfa_token)).status_code == 401
    assert _second(api, mfa_token, enrolled.code()).status_code == 200


def test_a_recovery_code_works_once(
    api: httpx.Client, account: Account, enrolled: Enrolled
) -> None:
    code = enrolled.recovery_codes[0]
    assert _second(api, _mfa_token(api, account), code).status_code == 200
    assert _second(api, _mfa_token(api, account), code).status_code == 401


def test_wrong_codes_void_the_token_then_throttle(
    api: httpx.Client, account: Account, enrolled: Enrolled
) -> None:
    mfa_token = _mfa_token(api, account)
    for _ in range(5):
        wrong = _second(api, mfa_token, "000000")
        assert wrong.status_code == 401
    assert _second(api, mfa_token, enrolled.code()).status_code == 401
    throttled = _second(api, _mfa_token(api, account), enrolled.code())
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0


def test_a_browser_challenge_is_no_good_here(
    api: httpx.Client, live_engine: sa.Engine, account: Account, enrolled: Enrolled
) -> None:
    with db.session_scope(live_engine) as session:
        result = signin.sign_in(
            session=session,
            username=account.username,
            password=account.password,
            persistent=False,
            binding=tokens.new_secret(),
        )
    assert isinstance(result, signin.SecondFactorRequired)
    assert _second(api, result.challenge, enrolled.code()).status_code == 401


@pytest.mark.parametrize(
    "form",
    [{"mfa_token": "", "code": "123456"}, {"mfa_token": "x" * 600, "code": "1"}, {"code": "1"}],
)
def test_malformed_second_steps_are_refused(api: httpx.Client, form: dict[str, str]) -> None:
    assert _second_form(api, form).status_code in (401, 422)


def _second_form(api: httpx.Client, form: dict[str, str]) -> httpx.Response:
    return api.post("/token/mfa", data=form)


def test_users_without_2fa_get_a_token_and_see_it_off(api: httpx.Client, account: Account) -> None:
    me = api.get("/users/me/", headers=bearer(login(api, account)))
    assert me.json()["mfa_enabled"] is False


def test_only_the_sign_in_routes_hand_out_bearer_tokens(api: httpx.Client) -> None:
    """The password, its second step and a passkey: no other route trades anything for a token."""
    schema = api.get("/openapi.json").json()
    issuing = {
        path
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        if "#/components/schemas/Token" in str(operation.get("responses", {}).get("200", {}))
    }
    assert issuing == {"/token", "/token/mfa", "/passkeys/authentication/verify"}
    second = schema["paths"]["/token/mfa"]["post"]
    assert second["summary"]
    assert {"200", "401", "422", "429"} <= set(second["responses"])
