"""The secret of a 2FA set-up on /account reaches only the connection that asked for it, and the
stored states (here in Redis) hold it only sealed."""

from __future__ import annotations

import os

import pytest
import redis
import reflex as rx

from nfp_app.state.account import AccountState
from nfp_app.state.account_mfa import AccountMfaState
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveAppFactory
from tests.support.reflex_socket import handler, reflex_socket, sign_in

pytestmark = [pytest.mark.security, pytest.mark.postgres]

ACCOUNT = "/account"


def _stored(client: redis.Redis) -> bytes:
    """Every string value the state manager keeps, end to end."""
    found = b""
    for key in client.scan_iter():
        if client.type(key) == b"string":
            value = client.get(key)
            assert isinstance(value, bytes)
            found += value
    return found


def test_the_set_up_secret_stays_with_its_connection(live_app_factory: LiveAppFactory) -> None:
    url = os.environ["TEST_REDIS_URL"]
    client = redis.Redis.from_url(url)
    with live_app_factory(REDIS_URL=url) as app:
        username = unique_name("sec2fa")
        create_user(app, username)
        with reflex_socket(app) as tab:
            cookie = sign_in(tab, username, PASSWORD)
            token = tab.token
        with reflex_socket(app, token=token, cookie=cookie) as page:
            page.send(handler(rx.State, "hydrate"), path=ACCOUNT)
            page.send(handler(AccountState, "open_page"), path=ACCOUNT)
            page.send(handler(AccountMfaState, "open_page"), path=ACCOUNT)
            form = {"form_data": {"mfa_password": PASSWORD}}
            page.send(handler(AccountMfaState, "confirm_password"), form, path=ACCOUNT)
            page.wait_for("data:image/svg+xml;base64,")
            assert page.sync()
            secret = next(view["secret"] for view in page.delta_values("shown") if view["secret"])
            assert len(secret) == 32
            assert secret.encode() not in _stored(client)
        # The same client token without the cookie: the stored state, but not its secret.
        with reflex_socket(app, token=token) as thief:
            thief.send(handler(rx.State, "hydrate"), path=ACCOUNT)
            thief.send(handler(AccountMfaState, "begin"), path=ACCOUNT)
            assert thief.sync()
            assert secret not in thief.text()
            assert "image/svg" not in thief.text()
    client.close()
