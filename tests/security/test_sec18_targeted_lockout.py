"""SEC-18: nobody can lock another person out of their account.

Failures count per account and client (a device that signed in before, else an IP): an attacker
uses up only their own allowance. A browser holding the account's device cookie is counted on
its own. Across all other clients an account has a far higher cap, after which attempts are
spaced out by growing delays instead of being refused for the rest of the window.
"""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.security import device
from nfp_app.services import accounts, signin
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.overrides import Override
from tests.support.security import try_sign_in
from tests.support.ui import ContextFactory, fill_login, goto_ready, login, new_page

pytestmark = [pytest.mark.security]

WRONG = "not the password at all"
T0 = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)
DEVICE_COOKIE = "nfp_session_device"


def _try(
    session: Session,
    username: str,
    password: str = WRONG,
    *,
    ip: str = "198.51.100.7",
    at: dt.datetime = T0,
    device_token: str = "",
) -> signin.SignInResult:
    return try_sign_in(session, username, password, ip=ip, at=at, device_token=device_token)


def _device_token(username: str) -> str:
    return device.issue_device_token(
        account_key=signin.account_key_for(username),
        secret_key=get_settings().secret_key,
        now=T0,
    )


def _owner(session: Session, username: str = "RootAdmin") -> None:
    accounts.create_user(session=session, username=username, password=PASSWORD, is_admin=True)
    session.commit()


@pytest.mark.usefixtures("throttle_store")
def test_sec18_failures_from_one_address_do_not_lock_another(session: Session) -> None:
    _owner(session)
    for spelling in ("ROOTADMIN", "rootadmin", "RootAdmin", "rOOtadmin", "ROOTADMIN"):
        assert isinstance(_try(session, spelling, ip="192.0.2.66"), signin.BadCredentials)
    blocked = _try(session, "rootadmin", PASSWORD, ip="192.0.2.66")
    assert blocked == signin.Throttled(retry_after=300)
    assert isinstance(_try(session, "rootadmin", PASSWORD, ip="192.0.2.1"), signin.SignedIn)


@pytest.mark.usefixtures("throttle_store")
def test_sec18_account_cap_gives_growing_delays_not_a_wall(
    session: Session, override: Override
) -> None:
    override(THROTTLE_ACCOUNT_TOTAL_FAILURES="10", THROTTLE_MAX_DELAY_SECONDS="8")
    _owner(session)
    now = T0
    for index in range(10):
        now = T0 + dt.timedelta(milliseconds=100 * index)
        assert isinstance(
            _try(session, "rootadmin", ip=f"203.0.113.{index}", at=now), signin.BadCredentials
        )
    waits = []
    for index in range(5):
        fresh = f"198.18.0.{index}"
        refused = _try(session, "rootadmin", PASSWORD, ip=fresh, at=now)
        assert isinstance(refused, signin.Throttled)
        waits.append(refused.retry_after)
        # The attacker waits out the delay and fails once more, from yet another address.
        now += dt.timedelta(seconds=refused.retry_after)
        assert isinstance(
            _try(session, "rootadmin", ip=f"198.19.0.{index}", at=now), signin.BadCredentials
        )
    assert waits == [1, 2, 4, 8, 8]
    # Never a wall: once the current delay has passed, the owner gets in from a new address.
    later = now + dt.timedelta(seconds=8)
    assert isinstance(
        _try(session, "rootadmin", PASSWORD, ip="192.0.2.1", at=later), signin.SignedIn
    )


@pytest.mark.usefixtures("throttle_store")
def test_sec18_device_cookie_keeps_its_own_allowance(session: Session, override: Override) -> None:
    override(THROTTLE_ACCOUNT_TOTAL_FAILURES="10")
    _owner(session)
    for index in range(12):
        for _ in range(5):
            _try(session, "rootadmin", ip=f"203.0.113.{index}")
    # Everyone without the device cookie waits, even from an address that never failed...
    assert isinstance(_try(session, "rootadmin", PASSWORD, ip="192.0.2.1"), signin.Throttled)
    # ...but the owner's browser signs in, even from the attacker's own address.
    token = _device_token("rootadmin")
    signed_in = _try(session, "rootadmin", PASSWORD, ip="203.0.113.0", device_token=token)
    assert isinstance(signed_in, signin.SignedIn)


@pytest.mark.usefixtures("throttle_store")
def test_sec18_a_device_has_its_own_limit(session: Session) -> None:
    _owner(session)
    mine, stolen = _device_token("rootadmin"), _device_token("rootadmin")
    for _ in range(5):
        assert isinstance(_try(session, "rootadmin", device_token=stolen), signin.BadCredentials)
    assert isinstance(_try(session, "rootadmin", PASSWORD, device_token=stolen), signin.Throttled)
    assert isinstance(_try(session, "rootadmin", PASSWORD, device_token=mine), signin.SignedIn)


def test_sec18_device_tokens_bind_to_one_account_and_one_key() -> None:
    key = get_settings().secret_key
    now = dt.datetime.now(dt.UTC)
    token = device.issue_device_token(account_key="alice", secret_key=key, now=now)
    assert device.device_id(token, account_key="alice", secret_key=key, now=now)
    assert device.device_id(token, account_key="bob", secret_key=key, now=now) is None
    assert device.device_id(token, account_key="alice", secret_key=key + "x", now=now) is None
    assert device.device_id(token[:-2] + "xx", account_key="alice", secret_key=key, now=now) is None
    assert device.device_id("", account_key="alice", secret_key=key, now=now) is None
    expired = device.issue_device_token(
        account_key="alice", secret_key=key, now=T0 - device.LIFETIME * 10
    )
    assert device.device_id(expired, account_key="alice", secret_key=key, now=now) is None
    a_year_on = now + device.LIFETIME + dt.timedelta(seconds=1)
    assert device.device_id(token, account_key="alice", secret_key=key, now=a_year_on) is None


def _from(address: str, app: LiveApp) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=app.base_url, transport=transport, timeout=30)


@pytest.mark.postgres
def test_sec18_rest_from_two_source_addresses(live_app_factory: LiveAppFactory) -> None:
    """The reported attack over REST: 5 failures from 127.0.0.2 do not lock out 127.0.0.3."""
    with live_app_factory() as app:
        owner = unique_name("root")
        create_user(app, owner)
        with _from("127.0.0.2", app) as attacker:
            for _ in range(5):
                answer = attacker.post(
                    "/token", data={"username": owner.upper(), "password": WRONG}
                )
                assert answer.status_code == 401
            refused = attacker.post("/token", data={"username": owner, "password": PASSWORD})
            assert refused.status_code == 429
            assert 290 <= int(refused.headers["retry-after"]) <= 300
        with _from("127.0.0.3", app) as real_user:
            answer = real_user.post("/token", data={"username": owner, "password": PASSWORD})
            assert answer.status_code == 200, answer.text


@pytest.mark.e2e
@pytest.mark.postgres
def test_sec18_browser_that_signed_in_before_is_not_locked_out(
    page: Page, live_app: LiveApp, new_context: ContextFactory
) -> None:
    """Attacker and owner share an address (a NAT): the owner's browser still signs in."""
    owner = unique_name("own18")
    create_user(live_app, owner)
    login(page, live_app, owner)
    device_cookie = [c for c in page.context.cookies() if c.get("name") == DEVICE_COOKIE]
    assert device_cookie
    assert device_cookie[0].get("httpOnly") is True
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login/?$"))
    with httpx.Client(base_url=live_app.base_url, timeout=30) as attacker:
        for _ in range(6):
            attacker.post("/token", data={"username": owner, "password": WRONG})
    # A browser that never signed in to this account waits, like the attacker...
    stranger = new_page(new_context())
    goto_ready(stranger, live_app.url("/login"))
    fill_login(stranger, owner, PASSWORD)
    expect(stranger.locator("#form-error")).to_contain_text("Too many attempts, try again in")
    # ...while the owner's browser signs in at once.
    login(page, live_app, owner)
