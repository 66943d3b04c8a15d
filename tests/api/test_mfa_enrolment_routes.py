"""Two-factor set-up over REST: /users/me/mfa/totp (start, confirm, off) and recovery codes."""

from __future__ import annotations

import json

import httpx
import pytest

from nfp_app.models import utcnow
from nfp_app.security import totp
from tests.support.api import Account, bearer, login

pytestmark = [pytest.mark.api, pytest.mark.postgres]

START = "/users/me/mfa/totp"
CONFIRM = "/users/me/mfa/totp/confirm"
CODES = "/users/me/mfa/recovery-codes"


def _code(secret: str, offset: int = 0) -> str:
    return totp.code_at(secret, totp.step_at(utcnow()) + offset)


def _start(api: httpx.Client, token: str, password: str) -> httpx.Response:
    return api.post(START, json={"password": password}, headers=bearer(token))


def _off(api: httpx.Client, token: str, password: str, code: str) -> httpx.Response:
    return api.request(
        "DELETE", START, json={"password": password, "code": code}, headers=bearer(token)
    )


def _token_answer(api: httpx.Client, account: Account) -> httpx.Response:
    return api.post("/token", data={"username": account.username, "password": account.password})


def _enrol(api: httpx.Client, token: str, account: Account) -> tuple[str, list[str]]:
    started = _start(api, token, account.password)
    assert started.status_code == 200, started.text
    secret = started.json()["secret"]
    confirmed = api.post(CONFIRM, json={"code": _code(secret, -1)}, headers=bearer(token))
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


def test_the_whole_set_up_then_the_password_alone_is_not_enough(
    api: httpx.Client, account: Account
) -> None:
    token = login(api, account)
    started = _start(api, token, account.password)
    assert started.status_code == 200, started.text
    body = started.json()
    assert set(body) == {"secret", "otpauth_uri"}
    assert body["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    # Not on until a code confirms it: the password alone still signs in.
    assert _token_answer(api, account).status_code == 200
    wrong = api.post(CONFIRM, json={"code": "000000"}, headers=bearer(token))
    assert wrong.status_code == 400, wrong.text
    assert "not right" in wrong.json()["detail"]
    confirmed = api.post(CONFIRM, json={"code": _code(body["secret"])}, headers=bearer(token))
    assert confirmed.status_code == 200, confirmed.text
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    me = api.get("/users/me/", headers=bearer(token))
    assert me.json()["mfa_enabled"] is True
    refused = _token_answer(api, account)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "mfa_required"
    assert "access_token" not in refused.text


def test_a_second_set_up_while_on_is_a_conflict(api: httpx.Client, account: Account) -> None:
    token = login(api, account)
    _enrol(api, token, account)
    again = _start(api, token, account.password)
    assert again.status_code == 409, again.text
    assert api.post(CONFIRM, json={"code": "123456"}, headers=bearer(token)).status_code == 409


def test_confirm_without_a_set_up_is_a_conflict(api: httpx.Client, account: Account) -> None:
    token = login(api, account)
    answer = api.post(CONFIRM, json={"code": "123456"}, headers=bearer(token))
    assert answer.status_code == 409, answer.text
    assert api.get("/users/me/", headers=bearer(token)).json()["mfa_enabled"] is False


def test_a_wrong_password_starts_nothing(api: httpx.Client, account: Account) -> None:
    token = login(api, account)
    answer = _start(api, token, "not the password at all")
    assert answer.status_code == 403, answer.text
    assert "secret" not in answer.text
    assert api.post(CONFIRM, json={"code": "123456"}, headers=bearer(token)).status_code == 409


def test_new_recovery_codes_void_the_old_ones(api: httpx.Client, account: Account) -> None:
    token = login(api, account)
    _secret, old = _enrol(api, token, account)
    wrong = api.post(CODES, json={"password": "not the password at all"}, headers=bearer(token))
    assert wrong.status_code == 403, wrong.text
    fresh = api.post(CODES, json={"password": account.password}, headers=bearer(token))
    assert fresh.status_code == 200, fresh.text
    new = fresh.json()["recovery_codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    mfa_token = _token_answer(api, account).json()["mfa_token"]
    stale = api.post("/token/mfa", data={"mfa_token": mfa_token, "code": old[0]})
    assert stale.status_code == 401
    good = api.post("/token/mfa", data={"mfa_token": mfa_token, "code": new[0]})
    assert good.status_code == 200, good.text


def test_turning_off_needs_the_password_and_a_code(api: httpx.Client, account: Account) -> None:
    token = login(api, account)
    secret, _codes = _enrol(api, token, account)
    assert _off(api, token, account.password, "000000").status_code == 400
    assert _off(api, token, "not the password at all", _code(secret)).status_code == 403
    assert api.get("/users/me/", headers=bearer(token)).json()["mfa_enabled"] is True
    done = _off(api, token, account.password, _code(secret))
    assert done.status_code == 204, done.text
    assert api.get("/users/me/", headers=bearer(token)).json()["mfa_enabled"] is False
    assert _token_answer(api, account).status_code == 200
    assert _off(api, token, account.password, _code(secret, 1)).status_code == 409
    assert (
        api.post(CODES, json={"password": account.password}, headers=bearer(token)).status_code
        == 409
    )


def test_a_recovery_code_turns_it_off_too(api: httpx.Client, account: Account) -> None:
    token = login(api, account)
    _secret, codes = _enrol(api, token, account)
    assert _off(api, token, account.password, codes[3].upper()).status_code == 204


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", START, {"password": "x"}),
        ("POST", CONFIRM, {"code": "123456"}),
        ("POST", CODES, {"password": "x"}),
        ("DELETE", START, {"password": "x", "code": "123456"}),
    ],
)
def test_every_route_needs_a_bearer_token(
    api: httpx.Client, method: str, path: str, body: dict[str, str]
) -> None:
    answer = api.request(method, path, json=body)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    bad = api.request(method, path, json=body, headers=bearer("not-a-token"))
    assert bad.status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", START, {}),
        ("POST", START, {"password": ""}),
        ("POST", CONFIRM, {"code": ""}),
        ("POST", CONFIRM, {"code": "1" * 65}),
        ("POST", CODES, {"password": ["x"]}),
        ("DELETE", START, {"password": "x"}),
        # A lone surrogate, as JSON allows it: matches no code.
        ("POST", CONFIRM, '{"code": "\\ud800"}'),
    ],
)
def test_malformed_bodies_are_422_never_500(
    api: httpx.Client, account: Account, method: str, path: str, body: dict[str, object] | str
) -> None:
    token = login(api, account)
    headers = {**bearer(token), "Content-Type": "application/json"}
    raw = body if isinstance(body, str) else json.dumps(body)
    answer = api.request(method, path, content=raw, headers=headers)
    assert answer.status_code in (409, 422), answer.text


def test_the_routes_are_documented(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path, method in ((START, "post"), (CONFIRM, "post"), (CODES, "post"), (START, "delete")):
        operation = paths[path][method]
        assert operation["summary"]
        assert "401" in operation["responses"]
