"""SEC-15: login CSRF through the cookie handoff fails.

The attack: an attacker signs in to their own account, keeps the one-time handoff code unused,
and has the victim's browser load `/auth/session?code=...`, which would sign the victim in as
the attacker. Two layers stop it: the code is bound to the binding cookie of the browser whose
connection proved the password, and a request that another site started is refused.
"""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from nfp_app.infra import db
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import (
    BINDING_COOKIE,
    COOKIE_NAME,
    binding_cookie,
    reflex_socket,
    submit_login,
)
from tests.support.security import audit_rows, serve_evil_page
from tests.support.ui import goto_ready, hydrations, session_cookie, wait_hydrated

pytestmark = [pytest.mark.security, pytest.mark.postgres]

LOGIN_URL = re.compile(r"/login/?(\?.*)?$")


def _attackers_code(app: LiveApp, attacker: str, *, binding: str = "") -> str:
    """Sign the attacker in over a raw socket and keep the handoff URL unused.

    With `binding` the socket brings that binding cookie instead of one of its own.
    """
    with reflex_socket(app, bind=not binding, cookie=binding) as tab:
        return submit_login(tab, attacker, PASSWORD)


def _refusals(app: LiveApp, username: str) -> list[str]:
    with Session(db.engine_for(app.database_url)) as session:
        rows = audit_rows(session, "handoff")
    return [row.detail for row in rows if row.username == username and row.outcome == "failure"]


def _binding_of(page: Page) -> str:
    found = [c for c in page.context.cookies() if c.get("name") == BINDING_COOKIE]
    assert len(found) == 1, "the app gave the browser no binding cookie"
    assert found[0].get("httpOnly") is True
    return f"{BINDING_COOKIE}={found[0].get('value', '')}"


def _land_on_login(page: Page, before: int) -> None:
    """Wait for the positive signal: the login page has loaded and hydrated after the detour."""
    wait_hydrated(page, before, "/login after the refused code")
    expect(page).to_have_url(LOGIN_URL)


def _assert_signed_out(page: Page, app: LiveApp) -> None:
    assert session_cookie(page.context) is None
    goto_ready(page, app.url("/admin"))
    expect(page).to_have_url(re.compile(r"/login/?\?next="))


@pytest.mark.e2e
def test_sec15_attackers_code_sent_from_another_site(page: Page, live_app: LiveApp) -> None:
    """The attack as reported: a foreign page navigates the victim to the attacker's code."""
    attacker = unique_name("atk15")
    create_user(live_app, attacker)
    handoff_url = _attackers_code(live_app, attacker)
    goto_ready(page, live_app.url("/login"))  # the victim has used the app before
    evil = serve_evil_page(
        page.context, f"<script>location.href = {json.dumps(live_app.url(handoff_url))}</script>"
    )
    before = hydrations(page)
    page.goto(evil)
    _land_on_login(page, before)
    assert _refusals(live_app, attacker) == ["cross-site request"]
    _assert_signed_out(page, live_app)


@pytest.mark.e2e
def test_sec15_attackers_code_opened_directly(page: Page, live_app: LiveApp) -> None:
    """Without any cross-site signal (a pasted link), the binding alone refuses the code."""
    attacker = unique_name("atk15b")
    create_user(live_app, attacker)
    handoff_url = _attackers_code(live_app, attacker)
    goto_ready(page, live_app.url("/login"))
    before = hydrations(page)
    page.goto(live_app.url(handoff_url))
    _land_on_login(page, before)
    assert _refusals(live_app, attacker) == ["code brought by another browser"]
    _assert_signed_out(page, live_app)


@pytest.mark.e2e
def test_sec15_cross_site_request_refused_even_with_the_right_binding(
    page: Page, live_app: LiveApp
) -> None:
    """The second layer on its own: a code bound to this very browser, but sent by another site."""
    attacker = unique_name("atk15c")
    create_user(live_app, attacker)
    goto_ready(page, live_app.url("/login"))
    binding = _binding_of(page)
    cross_site_code = _attackers_code(live_app, attacker, binding=binding)
    evil = serve_evil_page(
        page.context,
        f"<script>location.href = {json.dumps(live_app.url(cross_site_code))}</script>",
    )
    before = hydrations(page)
    page.goto(evil)
    _land_on_login(page, before)
    assert _refusals(live_app, attacker) == ["cross-site request"]
    assert session_cookie(page.context) is None
    # Control: the same kind of code, opened in this browser without another site, does work.
    same_site_code = _attackers_code(live_app, attacker, binding=binding)
    page.goto(live_app.url(same_site_code))
    expect(page.locator("#account-username")).to_have_text(attacker)


def test_sec15_redemption_rules_over_http(live_app: LiveApp) -> None:
    """No binding, another binding, or a cross-site request: no cookie, audited, code burnt."""
    attacker = unique_name("atk15d")
    create_user(live_app, attacker)
    binding = binding_cookie(live_app)
    cases = [
        ({}, "code brought by another browser"),
        ({"Cookie": binding_cookie(live_app)}, "code brought by another browser"),
        ({"Cookie": binding, "Sec-Fetch-Site": "cross-site"}, "cross-site request"),
    ]
    with httpx.Client(base_url=live_app.base_url, timeout=30) as http:
        for headers, _reason in cases:
            handoff_url = _attackers_code(live_app, attacker, binding=binding)
            refused = http.get(handoff_url, headers=headers, follow_redirects=False)
            assert refused.status_code == 303
            assert refused.headers["location"].startswith("/login")
            assert COOKIE_NAME not in refused.headers.get("set-cookie", "")
            # The refused attempt burnt the code: not even the right browser can use it now.
            again = http.get(handoff_url, headers={"Cookie": binding}, follow_redirects=False)
            assert COOKIE_NAME not in again.headers.get("set-cookie", "")
        handoff_url = _attackers_code(live_app, attacker, binding=binding)
        accepted = http.get(
            handoff_url,
            headers={"Cookie": binding, "Sec-Fetch-Site": "same-origin"},
            follow_redirects=False,
        )
        assert f"{COOKIE_NAME}=" in accepted.headers.get("set-cookie", "")
    assert _refusals(live_app, attacker) == [reason for _headers, reason in cases]
    # The three second tries met burnt codes, which name no account.
    assert _refusals(live_app, "").count("unknown or used code") >= 3
