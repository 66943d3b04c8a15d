"""MFA_REQUIRED_FOR_ADMINS=true: an administrator without 2FA is held at /account (Chromium,
production mode) and refused by the REST admin routes, until 2FA is on."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.services import accounts
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.mfa import enable_mfa
from tests.support.overrides import Override
from tests.support.ui import fill_login, goto_ready, sample_frames, sampled

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

HELD_AT_ACCOUNT = re.compile(r"/account/?\?notice=mfa-required$")
# What only the console shows: the overview's chart, the tabs, the tables, the admin's own card.
CONSOLE_SIGNS = ("Sign-ins per day", "#sign-in-chart", "#account-username")


@pytest.fixture(scope="module")
def policy_app(live_app: LiveApp, live_app_factory: LiveAppFactory) -> Iterator[LiveApp]:
    """The app in production mode with the policy on (its own database and frontend)."""
    del live_app  # started first: this app copies its frontend build
    with live_app_factory(backend_only=False, MFA_REQUIRED_FOR_ADMINS="true") as app:
        yield app


@pytest.fixture(scope="module")
def policy_api(live_app_factory: LiveAppFactory) -> Iterator[LiveApp]:
    """The REST side only, with the policy on."""
    with live_app_factory(MFA_REQUIRED_FOR_ADMINS="true") as app:
        yield app


def _user_id(app: LiveApp, username: str) -> int:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        assert user.id is not None
        return user.id


def _held(page: Page) -> None:
    """The positive signal: the tab is at /account with the policy's callout."""
    expect(page).to_have_url(HELD_AT_ACCOUNT)
    expect(page.locator("#mfa-required-callout")).to_be_visible()
    expect(page.locator("#mfa-required-callout")).to_contain_text("required for administrators")


def test_admin_without_2fa_is_held_at_account_until_enrolled(
    page: Page, policy_app: LiveApp, override: Override
) -> None:
    admin, other = unique_name("pol_adm"), unique_name("pol_usr")
    other_email = f"{other}@hidden.example"
    make_admin(policy_app, admin)
    create_user(policy_app, other, email=other_email)
    sample_frames(page, other_email, other)

    goto_ready(page, policy_app.url(routes.LOGIN))
    fill_login(page, admin, PASSWORD)
    _held(page)  # sent to enrolment right after sign-in

    console_pages = [
        routes.ADMIN,
        routes.ADMIN_USERS,
        routes.admin_user(_user_id(policy_app, other)),
        routes.ADMIN_AUDIT,
    ]
    for path in console_pages:
        page.goto(policy_app.url(path))
        _held(page)
        expect(page.locator("#console-tabs")).to_have_count(0)
    seen = sampled(page)
    assert seen.documents >= len(console_pages) + 1, seen
    assert not [leak for leak in seen.leaks if leak in (*CONSOLE_SIGNS, other, other_email)], seen

    # With 2FA on, the next page load opens the console.
    override(SECRET_KEY=policy_app.secret_key)
    enable_mfa(db.engine_for(policy_app.database_url), _user_id(policy_app, admin), PASSWORD)
    goto_ready(page, policy_app.url(routes.ADMIN_USERS))
    expect(page.locator("#console-tabs")).to_be_visible()
    expect(page.locator("#users-table tbody tr", has_text=other)).to_be_visible()
    goto_ready(page, policy_app.url(routes.ACCOUNT))
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.locator("#mfa-required-callout")).to_have_count(0)


def test_an_ordinary_user_is_not_held(page: Page, policy_app: LiveApp) -> None:
    member = unique_name("pol_mem")
    create_user(policy_app, member)
    goto_ready(page, policy_app.url(routes.LOGIN))
    fill_login(page, member, PASSWORD)
    expect(page.locator("#account-username")).to_have_text(member)
    expect(page).to_have_url(re.compile(r"/admin/?$"))
    goto_ready(page, policy_app.url(routes.ACCOUNT))
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.locator("#mfa-required-callout")).to_have_count(0)


def _token(api: httpx.Client, username: str) -> dict[str, str]:
    answer = api.post("/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_rest_admin_routes_need_2fa_under_the_policy(
    policy_api: LiveApp, override: Override
) -> None:
    admin, other = unique_name("pol_radm"), unique_name("pol_rusr")
    make_admin(policy_api, admin)
    create_user(policy_api, other)
    other_id = _user_id(policy_api, other)
    with httpx.Client(base_url=policy_api.base_url, timeout=30) as api:
        headers = _token(api, admin)
        admin_calls = [
            ("GET", "/users/", None),
            ("GET", "/audit-events/", None),
            ("POST", f"/users/{other_id}/revoke-sessions", {"reason": "policy test"}),
        ]
        for method, path, body in admin_calls:
            refused = api.request(method, path, json=body, headers=headers)
            assert refused.status_code == 403, (path, refused.text)
            assert refused.json() == {"detail": "mfa_enrolment_required"}
        me = api.get("/users/me/", headers=headers)
        assert me.status_code == 200, me.text
        assert me.json()["username"] == admin

        override(SECRET_KEY=policy_api.secret_key)
        enable_mfa(db.engine_for(policy_api.database_url), _user_id(policy_api, admin), PASSWORD)
        for method, path, body in admin_calls:
            allowed = api.request(method, path, json=body, headers=headers)
            assert allowed.status_code == 200, (path, allowed.text)
