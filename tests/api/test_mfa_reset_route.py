"""POST /users/{id}/mfa-reset: an administrator turns a user's 2FA off, with a reason that is
audited, and the user is emailed."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from nfp_app.infra import db
from nfp_app.models import AuthEvent, User
from nfp_app.services import mfa_store
from tests.support.accounts import PASSWORD, unique_name
from tests.support.api import Account, bearer, login, signup
from tests.support.live_app import LiveApp
from tests.support.mailbox import MAILBOX
from tests.support.mfa import enable_mfa
from tests.support.overrides import Override

pytestmark = [pytest.mark.api, pytest.mark.postgres]

REASON = "ticket 77: phone lost"
UNKNOWN_ID = 2_000_000_000


def _with_email(api: httpx.Client) -> tuple[Account, str]:
    name = unique_name("mfareset")
    email = f"{name}@mail.example"
    answer = api.post("/users/", json={"username": name, "password": PASSWORD, "email": email})
    assert answer.status_code == 200, answer.text
    return Account(id=answer.json()["id"], username=name, password=PASSWORD), email


def _mfa_on(engine: sa.Engine, user_id: int) -> bool:
    with db.session_scope(engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        return mfa_store.is_enabled(session, user)


def _reset(
    api: httpx.Client, user_id: int, body: object, headers: dict[str, str]
) -> httpx.Response:
    return api.post(f"/users/{user_id}/mfa-reset", json=body, headers=headers)


@pytest.fixture
def enrolled(
    api: httpx.Client, live_app: LiveApp, live_engine: sa.Engine, override: Override
) -> tuple[Account, str]:
    """A user with an email address and 2FA on, sealed with the live app's key."""
    override(SECRET_KEY=live_app.secret_key)
    target, email = _with_email(api)
    enable_mfa(live_engine, target.id, target.password)
    return target, email


def test_reset_turns_2fa_off_audits_and_mails(
    api: httpx.Client, admin: Account, enrolled: tuple[Account, str], live_engine: sa.Engine
) -> None:
    target, email = enrolled
    assert _mfa_on(live_engine, target.id)
    answer = _reset(api, target.id, {"reason": REASON}, bearer(login(api, admin)))
    assert answer.status_code == 200, answer.text
    assert answer.json()["username"] == target.username
    assert not _mfa_on(live_engine, target.id)
    with db.session_scope(live_engine) as session:
        statement = select(AuthEvent).where(col(AuthEvent.username) == target.username)
        row = session.exec(statement.order_by(col(AuthEvent.id).desc())).first()
        assert row is not None
        assert (row.event, row.outcome) == ("mfa_reset", "success")
        assert f"reason: {REASON}" in row.detail
        assert f"by {admin.username}" in row.detail
    mail = MAILBOX.wait_for(email, "Two-factor authentication was turned off")
    assert "by an administrator" in mail.text()
    # The password alone signs in again: no second step is asked for.
    assert login(api, target)


def test_reset_without_2fa_is_409(api: httpx.Client, admin: Account) -> None:
    answer = _reset(api, signup(api).id, {"reason": REASON}, bearer(login(api, admin)))
    assert answer.status_code == 409
    assert answer.json()["detail"]


def test_a_reason_is_required(
    api: httpx.Client, admin: Account, enrolled: tuple[Account, str], live_engine: sa.Engine
) -> None:
    target, _ = enrolled
    headers = bearer(login(api, admin))
    for body in ({}, {"reason": "  "}, {"reason": "a\x00b"}):
        answer = _reset(api, target.id, body, headers)
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"][0]["loc"][-1] == "reason"
    assert _mfa_on(live_engine, target.id)


def test_only_administrators_may_reset(
    api: httpx.Client, account: Account, enrolled: tuple[Account, str], live_engine: sa.Engine
) -> None:
    target, _ = enrolled
    assert _reset(api, target.id, {"reason": REASON}, {}).status_code == 401
    refused = _reset(api, target.id, {"reason": REASON}, bearer(login(api, account)))
    assert refused.status_code == 403
    assert _mfa_on(live_engine, target.id)


def test_unknown_user_is_404(api: httpx.Client, admin: Account) -> None:
    answer = _reset(api, UNKNOWN_ID, {"reason": REASON}, bearer(login(api, admin)))
    assert answer.status_code == 404


def test_the_route_is_in_the_openapi_schema(api: httpx.Client) -> None:
    operation = api.get("/openapi.json").json()["paths"]["/users/{user_id}/mfa-reset"]["post"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(operation["responses"])
