"""A token works only while its session, its user and the user's password stay as they were."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import httpx
import jwt
import pytest
import sqlalchemy as sa
from jwt.utils import base64url_decode, base64url_encode

from nfp_app.infra import db
from nfp_app.models import User
from nfp_app.services import account_changes, session_ends
from tests.support.api import Account, bearer, login
from tests.support.live_app import LiveApp

pytestmark = [pytest.mark.api, pytest.mark.postgres]


def _me(api: httpx.Client, token: str) -> int:
    return api.get("/users/me/", headers=bearer(token)).status_code


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def test_token_after_logout_is_401(api: httpx.Client, account: Account) -> None:
    token = login(api, account)
    assert api.post("/logout", headers=bearer(token)).status_code == 204
    assert _me(api, token) == 401


def test_token_of_disabled_user_is_401(api: httpx.Client, account: Account, admin: Account) -> None:
    token = login(api, account)
    patch = api.patch(
        f"/users/{account.id}", json={"is_active": False}, headers=bearer(login(api, admin))
    )
    assert patch.status_code == 200
    assert _me(api, token) == 401
    # Enabling the account again does not bring old sessions back.
    api.patch(f"/users/{account.id}", json={"is_active": True}, headers=bearer(login(api, admin)))
    assert _me(api, token) == 401


def test_token_of_deleted_user_is_401(
    api: httpx.Client, account: Account, live_engine: sa.Engine
) -> None:
    token = login(api, account)
    with db.session_scope(live_engine) as session:
        account_changes.delete_user(session=session, user_id=account.id)
    assert _me(api, token) == 401


def test_token_after_password_change_is_401(
    api: httpx.Client, account: Account, live_engine: sa.Engine
) -> None:
    token = login(api, account)
    with db.session_scope(live_engine) as session:
        account_changes.set_password(
            session=session, user_id=account.id, password="a new passphrase"
        )
    assert _me(api, token) == 401
    fresh = login(api, Account(account.id, account.username, "a new passphrase"))
    assert _me(api, fresh) == 200


def test_token_issued_before_password_change_is_401_even_if_session_lives(
    api: httpx.Client, account: Account, live_engine: sa.Engine
) -> None:
    # Moves password_changed_at without revoking sessions, to test the iat rule on its own.
    token = login(api, account)
    with db.session_scope(live_engine) as session:
        user = session.get(User, account.id)
        assert user is not None
        user.password_changed_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
        session.add(user)
    assert _me(api, token) == 401


def test_revoked_session_is_401(
    api: httpx.Client, account: Account, live_engine: sa.Engine
) -> None:
    token = login(api, account)
    with db.session_scope(live_engine) as session:
        session_ends.revoke(session=session, session_id=_claims(token)["sid"])
    assert _me(api, token) == 401


def _resign(
    token: str, key: str, *, algorithm: str = "HS256", drop: str = "", **changes: Any
) -> str:
    claims = {**_claims(token), **changes}
    claims.pop(drop, None)
    return jwt.encode(claims, key, algorithm=algorithm)


def test_resigned_token_with_the_real_key_works(
    api: httpx.Client, account: Account, live_app: LiveApp
) -> None:
    # The control for the forgeries below: re-signing itself is not what makes them fail.
    token = _resign(login(api, account), live_app.secret_key, jti=secrets.token_hex(8))
    assert _me(api, token) == 200


def test_tampered_token_is_401(api: httpx.Client, account: Account) -> None:
    header, payload, signature = login(api, account).split(".")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    assert _me(api, f"{header}.{payload}.{flipped}") == 401
    other = base64url_encode(base64url_decode(payload).replace(b'"sub":"', b'"sub":"9')).decode()
    assert _me(api, f"{header}.{other}.{signature}") == 401


def test_alg_none_token_is_401(api: httpx.Client, account: Account) -> None:
    claims = _claims(login(api, account))
    unsigned = jwt.encode(claims, "", algorithm="none")  # "" is the none algorithm's key
    assert _me(api, unsigned) == 401
    assert _me(api, unsigned + "signature") == 401


def test_expired_token_is_401(api: httpx.Client, account: Account, live_app: LiveApp) -> None:
    past = int(dt.datetime.now(dt.UTC).timestamp()) - 60
    token = _resign(login(api, account), live_app.secret_key, exp=past)
    assert _me(api, token) == 401


def test_wrong_key_token_is_401(api: httpx.Client, account: Account) -> None:
    token = _resign(login(api, account), secrets.token_urlsafe(48))
    assert _me(api, token) == 401


def test_other_hmac_algorithm_is_401(
    api: httpx.Client, account: Account, live_app: LiveApp
) -> None:
    token = _resign(login(api, account), live_app.secret_key, algorithm="HS512")
    assert _me(api, token) == 401


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "sid"])
def test_token_missing_a_required_claim_is_401(
    api: httpx.Client, account: Account, live_app: LiveApp, claim: str
) -> None:
    token = _resign(login(api, account), live_app.secret_key, drop=claim)
    assert _me(api, token) == 401


def test_token_for_another_users_session_is_401(
    api: httpx.Client, account: Account, admin: Account, live_app: LiveApp
) -> None:
    # A valid signature is not enough: sub must be the user who owns the session.
    admin_sid = _claims(login(api, admin))["sid"]
    token = _resign(login(api, account), live_app.secret_key, sid=admin_sid)
    assert _me(api, token) == 401
