"""SEC-4: failed sign-ins are throttled per account and client, and per IP, never locked for good.

The targeted-lockout defences (device cookies, the per-account cap with growing delays) and
the atomic counting of concurrent attempts have their own modules: SEC-18 and SEC-21.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys

import pytest
from sqlmodel import Session, select

from nfp_app.api import create_api
from nfp_app.infra.settings import PROJECT_DIR, Settings
from nfp_app.models import ThrottleHit, utcnow
from nfp_app.security import client_ip, passwords
from nfp_app.services import accounts, signin, signin_limits
from nfp_app.state.login import error_for
from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.overrides import Override
from tests.support.security import audit_rows, client, try_sign_in

pytestmark = [pytest.mark.security]

WRONG = "wrong password!"
T0 = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)


def _try(
    session: Session,
    username: str,
    password: str = WRONG,
    *,
    at: dt.datetime = T0,
    ip: str = "198.51.100.7",
) -> signin.SignInResult:
    return try_sign_in(session, username, password, ip=ip, at=at)


def _fail(session: Session, username: str, times: int, **kwargs: object) -> None:
    for _ in range(times):
        assert isinstance(_try(session, username, **kwargs), signin.BadCredentials)  # type: ignore[arg-type]


def test_sec04_defaults() -> None:
    settings = Settings()
    assert (settings.throttle_account_failures, settings.throttle_account_window_seconds) == (
        5,
        300,
    )
    assert (settings.throttle_ip_failures, settings.throttle_ip_window_seconds) == (20, 60)
    assert settings.throttle_account_total_failures == 50
    assert settings.throttle_max_delay_seconds == 60
    assert settings.trusted_proxy_hops == 0


@pytest.mark.usefixtures("throttle_store")
def test_sec04_account_limit_then_free_again(session: Session) -> None:
    accounts.create_user(session=session, username="Alice", password=PASSWORD)
    session.commit()
    # Spellings of one name share one counter.
    for name in ("alice", "ALICE", "Alice", "ａｌｉｃｅ", "alice"):
        _fail(session, name, 1)
    blocked = _try(session, "alice", PASSWORD, at=T0 + dt.timedelta(seconds=10))
    assert blocked == signin.Throttled(retry_after=290)
    assert error_for(blocked) == "Too many attempts, try again in 290 s."
    # No permanent lockout: the window passes and the right password works.
    later = T0 + dt.timedelta(seconds=301)
    assert isinstance(_try(session, "alice", PASSWORD, at=later), signin.SignedIn)


@pytest.mark.usefixtures("throttle_store")
def test_sec04_throttled_attempt_verifies_nothing(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.create_user(session=session, username="bob", password=PASSWORD)
    session.commit()
    _fail(session, "bob", 5)
    _fail(session, "nobody_here", 5)
    calls: list[str] = []
    monkeypatch.setattr(passwords, "verify_password", lambda *a, **k: calls.append("v"))
    monkeypatch.setattr(passwords, "spend_dummy_verification", lambda *a, **k: calls.append("d"))
    assert isinstance(_try(session, "bob", PASSWORD), signin.Throttled)
    assert isinstance(_try(session, "nobody_here", PASSWORD), signin.Throttled)
    assert calls == []
    assert [row.outcome for row in audit_rows(session, "login")][-2:] == ["throttled"] * 2


@pytest.mark.usefixtures("throttle_store")
def test_sec04_unknown_username_is_throttled_exactly_like_a_known_one(session: Session) -> None:
    accounts.create_user(session=session, username="carol", password=PASSWORD)
    session.commit()
    answers: list[list[signin.SignInResult]] = []
    for name, ip in (("carol", "192.0.2.1"), ("ghost", "192.0.2.2")):
        answers.append([_try(session, name, ip=ip) for _ in range(7)])
    assert answers[0] == answers[1]
    assert answers[0][-1] == signin.Throttled(retry_after=300)


@pytest.mark.usefixtures("throttle_store")
def test_sec04_success_clears_the_account_counter(session: Session) -> None:
    accounts.create_user(session=session, username="dave", password=PASSWORD)
    session.commit()
    _fail(session, "dave", 4)
    assert isinstance(_try(session, "dave", PASSWORD), signin.SignedIn)
    _fail(session, "dave", 4)
    assert isinstance(_try(session, "dave", PASSWORD), signin.SignedIn)


@pytest.mark.usefixtures("throttle_store")
def test_sec04_ip_limit(session: Session) -> None:
    for index in range(20):
        _fail(session, f"spray{index}", 1, ip="203.0.113.9", at=T0 + dt.timedelta(seconds=index))
    blocked = _try(session, "fresh_name", ip="203.0.113.9", at=T0 + dt.timedelta(seconds=30))
    assert blocked == signin.Throttled(retry_after=30)
    assert isinstance(_try(session, "fresh_name", ip="203.0.113.10"), signin.BadCredentials)
    after = T0 + dt.timedelta(seconds=61)
    assert isinstance(
        _try(session, "fresh_name", ip="203.0.113.9", at=after), signin.BadCredentials
    )


def test_sec04_zero_turns_a_limit_off_with_a_warning(
    session: Session, override: Override, caplog: pytest.LogCaptureFixture
) -> None:
    settings = override(THROTTLE_ACCOUNT_FAILURES="0", THROTTLE_IP_FAILURES="0")
    _fail(session, "eve", 30)
    with caplog.at_level(logging.WARNING, logger="nfp_app.signin"):
        signin_limits.warn_if_unthrottled(settings)
    assert "THROTTLE_ACCOUNT_FAILURES=0" in caplog.text
    assert "THROTTLE_IP_FAILURES=0" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="nfp_app.signin"):
        signin_limits.warn_if_unthrottled(
            settings.model_copy(update={"throttle_account_failures": 5, "throttle_ip_failures": 20})
        )
    assert caplog.text == ""


@pytest.mark.usefixtures("throttle_store")
def test_sec04_custom_limits(session: Session, override: Override) -> None:
    override(THROTTLE_ACCOUNT_FAILURES="2", THROTTLE_ACCOUNT_WINDOW_SECONDS="10")
    _fail(session, "frank", 2)
    assert _try(session, "frank", at=T0 + dt.timedelta(seconds=4)) == signin.Throttled(6)
    assert isinstance(
        _try(session, "frank", at=T0 + dt.timedelta(seconds=11)), signin.BadCredentials
    )


def test_sec04_forwarded_for_is_trusted_only_through_configured_proxies() -> None:
    header = "198.51.100.1, 10.0.0.1, 10.0.0.2"
    assert client_ip.client_ip("10.0.0.3", header, trusted_proxy_hops=0) == "10.0.0.3"
    assert client_ip.client_ip("10.0.0.3", header, trusted_proxy_hops=1) == "10.0.0.2"
    assert client_ip.client_ip("10.0.0.3", header, trusted_proxy_hops=3) == "198.51.100.1"
    assert client_ip.client_ip("10.0.0.3", header, trusted_proxy_hops=4) == "10.0.0.3"


def test_sec04_reflex_gets_the_same_proxy_setting() -> None:
    probe = "import rxconfig; print(rxconfig.config.trusted_proxy_hops)"
    for hops in ("0", "2"):
        done = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=PROJECT_DIR,
            env={**os.environ, "TRUSTED_PROXY_HOPS": hops},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        assert done.stdout.strip() == hops


def test_sec04_openapi_documents_429() -> None:
    answer = create_api().openapi()["paths"]["/token"]["post"]["responses"]["429"]
    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Retry-After" in answer["headers"]


@pytest.mark.postgres
def test_sec04_rest_account_limit(live_app: LiveApp) -> None:
    with client(live_app.base_url) as http:
        name = unique_name("thr")
        assert (
            http.post("/users/", json={"username": name, "password": PASSWORD}).status_code == 200
        )
        ghost = unique_name("ghost")
        for username in (name, ghost):
            for _ in range(5):
                wrong = http.post("/token", data={"username": username, "password": "wrong pw!"})
                assert wrong.status_code == 401
            for password in ("wrong pw!", PASSWORD):
                response = http.post("/token", data={"username": username, "password": password})
                assert response.status_code == 429
                retry_after = int(response.headers["retry-after"])
                assert 1 <= retry_after <= 300
                assert response.json() == {
                    "detail": f"Too many attempts, try again in {retry_after} s."
                }
        # Other accounts are not affected.
        other = unique_name("free")
        assert (
            http.post("/users/", json={"username": other, "password": PASSWORD}).status_code == 200
        )
        assert (
            http.post("/token", data={"username": other, "password": PASSWORD}).status_code == 200
        )


@pytest.mark.postgres
def test_sec04_rest_ip_limit_ignores_untrusted_forwarded_for(
    live_app_factory: LiveAppFactory,
) -> None:
    with live_app_factory() as app, client(app.base_url) as http:
        for index in range(20):
            spoofed = {"X-Forwarded-For": f"198.51.100.{index}"}
            data = {"username": f"spray_{index}", "password": "wrong pw!"}
            assert http.post("/token", data=data, headers=spoofed).status_code == 401
        blocked = http.post("/token", data={"username": "another", "password": "wrong pw!"})
        assert blocked.status_code == 429
        assert 1 <= int(blocked.headers["retry-after"]) <= 60


@pytest.mark.postgres
def test_sec04_rest_trusts_forwarded_for_behind_a_proxy(live_app_factory: LiveAppFactory) -> None:
    settings = {"TRUSTED_PROXY_HOPS": "1", "THROTTLE_IP_FAILURES": "3"}
    with live_app_factory(**settings) as app, client(app.base_url) as http:
        for index in range(4):
            # Each attempt comes from another client behind the proxy: none is throttled.
            headers = {"X-Forwarded-For": f"198.51.100.{index}"}
            data = {"username": f"behind_{index}", "password": "wrong pw!"}
            assert http.post("/token", data=data, headers=headers).status_code == 401
        same = {"X-Forwarded-For": "192.0.2.50"}
        for index in range(3):
            data = {"username": f"same_{index}", "password": "wrong pw!"}
            assert http.post("/token", data=data, headers=same).status_code == 401
        data = {"username": "same_last", "password": "wrong pw!"}
        assert http.post("/token", data=data, headers=same).status_code == 429


def test_sec04_failure_rows_are_pruned(session: Session) -> None:
    _fail(session, "grace", 3, at=utcnow() - dt.timedelta(hours=1))
    _fail(session, "grace", 1, at=utcnow())

    keys = session.exec(select(ThrottleHit.scope)).all()
    # The last failure only: counted per account and client, per account, and per IP.
    assert sorted(keys) == ["account", "client", "ip"]
