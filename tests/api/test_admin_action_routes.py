"""The administrators' account actions over REST: PATCH, DELETE, revoke-sessions and
password-reset, each with a reason that reaches the audit log."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from nfp_app.infra import db
from nfp_app.models import AuthEvent, User
from nfp_app.services.admin_actions import REASON_MAX_LENGTH
from tests.support.accounts import PASSWORD, unique_name
from tests.support.api import Account, bearer, login, signup
from tests.support.mailbox import MAILBOX

pytestmark = [pytest.mark.api, pytest.mark.postgres]

REASON = "ticket 42: asked by the owner"
UNKNOWN_ID = 2_000_000_000


def _act(
    api: httpx.Client, route: str, user_id: int, reason: Any, headers: dict[str, str]
) -> httpx.Response:
    """Call one action route; `reason` None leaves the reason out altogether."""
    body = {} if reason is None else {"reason": reason}
    if route == "delete":
        return api.delete(f"/users/{user_id}", params=body, headers=headers)
    if route == "patch":
        return api.patch(f"/users/{user_id}", json={"is_active": False, **body}, headers=headers)
    return api.post(f"/users/{user_id}/{route}", json=body, headers=headers)


ROUTES = ["patch", "delete", "revoke-sessions", "password-reset"]


def _last_event(engine: sa.Engine, username: str) -> AuthEvent:
    with db.session_scope(engine) as session:
        statement = select(AuthEvent).where(col(AuthEvent.username) == username)
        row = session.exec(statement.order_by(col(AuthEvent.id).desc())).first()
        assert row is not None, f"no audit entry for {username}"
        session.expunge(row)
        return row


def _assert_audited(engine: sa.Engine, target: str, event: str, admin: Account) -> None:
    row = _last_event(engine, target)
    assert (row.event, row.outcome) == (event, "success")
    assert f"reason: {REASON}" in row.detail
    assert f"by {admin.username}" in row.detail


def _with_email(api: httpx.Client) -> tuple[Account, str]:
    name = unique_name("mail")
    email = f"{name}@mail.example"
    answer = api.post("/users/", json={"username": name, "password": PASSWORD, "email": email})
    assert answer.status_code == 200, answer.text
    return Account(id=answer.json()["id"], username=name, password=PASSWORD), email


def _only_admin(engine: sa.Engine, admin: Account) -> None:
    """Leave the bootstrap administrator the one active administrator."""
    with db.session_scope(engine) as session:
        others = session.exec(select(User).where(User.is_admin, User.id != admin.id)).all()
        for other in others:
            other.is_admin = False
            session.add(other)


def test_patch_with_a_reason_is_audited(
    api: httpx.Client, admin: Account, account: Account, live_engine: sa.Engine
) -> None:
    headers = bearer(login(api, admin))
    answer = api.patch(
        f"/users/{account.id}", json={"is_admin": True, "reason": REASON}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["is_admin"] is True
    _assert_audited(live_engine, account.username, "user_promote", admin)


def test_patch_without_a_reason_still_works(
    api: httpx.Client, admin: Account, account: Account, live_engine: sa.Engine
) -> None:
    headers = bearer(login(api, admin))
    for body in ({"is_active": False}, {"is_active": True, "reason": "   "}):
        assert api.patch(f"/users/{account.id}", json=body, headers=headers).status_code == 200
    row = _last_event(live_engine, account.username)
    assert row.event == "user_enable"
    assert row.detail == f"by {admin.username}"


def test_delete_needs_a_reason_and_answers_204(
    api: httpx.Client, admin: Account, account: Account, live_engine: sa.Engine
) -> None:
    headers = bearer(login(api, admin))
    answer = api.delete(f"/users/{account.id}", params={"reason": REASON}, headers=headers)
    assert answer.status_code == 204
    assert answer.content == b""
    _assert_audited(live_engine, account.username, "user_delete", admin)
    again = api.delete(f"/users/{account.id}", params={"reason": REASON}, headers=headers)
    assert again.status_code == 404


def test_revoke_sessions_ends_the_bearer_token(
    api: httpx.Client, admin: Account, account: Account, live_engine: sa.Engine
) -> None:
    theirs = bearer(login(api, account))
    assert api.get("/users/me/", headers=theirs).status_code == 200
    answer = _act(api, "revoke-sessions", account.id, REASON, bearer(login(api, admin)))
    assert answer.status_code == 200, answer.text
    assert answer.json()["username"] == account.username
    assert api.get("/users/me/", headers=theirs).status_code == 401
    _assert_audited(live_engine, account.username, "sessions_revoke", admin)
    assert login(api, account)  # signing in again works


def test_password_reset_mails_a_link(
    api: httpx.Client, admin: Account, live_engine: sa.Engine
) -> None:
    target, email = _with_email(api)
    answer = _act(api, "password-reset", target.id, REASON, bearer(login(api, admin)))
    assert answer.status_code == 202, answer.text
    assert target.username in answer.json()["detail"]
    _assert_audited(live_engine, target.username, "password_reset_request", admin)
    mail = MAILBOX.wait_for(email, "Reset your nfp_app password")
    assert "/reset-password?token=" in mail.link("/reset-password?token=")


def test_password_reset_without_an_email_is_409(api: httpx.Client, admin: Account) -> None:
    answer = _act(api, "password-reset", signup(api).id, REASON, bearer(login(api, admin)))
    assert answer.status_code == 409
    assert "no email address" in answer.json()["detail"]


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_gets_401_and_users_403(
    api: httpx.Client, account: Account, admin: Account, route: str
) -> None:
    assert _act(api, route, admin.id, REASON, {}).status_code == 401
    refused = _act(api, route, admin.id, REASON, bearer(login(api, account)))
    assert refused.status_code == 403
    assert api.get("/users/me/", headers=bearer(login(api, admin))).json()["is_active"] is True


@pytest.mark.parametrize("route", ROUTES)
def test_unknown_user_is_404(api: httpx.Client, admin: Account, route: str) -> None:
    answer = _act(api, route, UNKNOWN_ID, REASON, bearer(login(api, admin)))
    assert answer.status_code == 404
    assert answer.json() == {"detail": "No such user."}


@pytest.mark.parametrize("route", ["patch", "delete"])
def test_the_last_admin_cannot_remove_themselves(
    api: httpx.Client, admin: Account, live_engine: sa.Engine, route: str
) -> None:
    _only_admin(live_engine, admin)
    headers = bearer(login(api, admin))
    answer = _act(api, route, admin.id, REASON, headers)
    assert answer.status_code == 409
    assert "no active administrator" in answer.json()["detail"]
    demote = api.patch(
        f"/users/{admin.id}", json={"is_admin": False, "reason": REASON}, headers=headers
    )
    assert demote.status_code == 409
    assert api.get("/users/me/", headers=headers).json()["is_admin"] is True


def test_an_admin_can_remove_another_but_then_not_themselves(
    api: httpx.Client, admin: Account, account: Account, live_engine: sa.Engine
) -> None:
    _only_admin(live_engine, admin)
    headers = bearer(login(api, admin))
    promote = {"is_admin": True, "reason": REASON}
    assert api.patch(f"/users/{account.id}", json=promote, headers=headers).status_code == 200
    theirs = bearer(login(api, account))
    assert _act(api, "patch", admin.id, REASON, theirs).status_code == 200  # disables admin
    assert _act(api, "delete", account.id, REASON, theirs).status_code == 409


LONG = "x" * (REASON_MAX_LENGTH + 1)
BAD_REASONS = {
    "missing": None,
    "blank": "  \t ",
    "too long": LONG,
    "far too long": "x" * 5000,
    "control": "bell\x07here",
    "nul": "a\x00b",
    "not a string": 42,
}


# PATCH keeps the reason optional (missing or blank is fine); a query parameter is always text.
BAD_CASES = [
    (route, label)
    for route in ROUTES
    for label in BAD_REASONS
    if not (route == "patch" and label in ("missing", "blank"))
    and not (route == "delete" and label == "not a string")
]


@pytest.mark.parametrize(("route", "label"), BAD_CASES)
def test_bad_reason_is_422_and_changes_nothing(
    api: httpx.Client, admin: Account, account: Account, route: str, label: str
) -> None:
    reason = BAD_REASONS[label]
    theirs = bearer(login(api, account))
    answer = _act(api, route, account.id, reason, bearer(login(api, admin)))
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["detail"]
    assert error["loc"][-1] == "reason"
    assert api.get("/users/me/", headers=theirs).status_code == 200


def test_reason_messages_say_what_is_wrong(
    api: httpx.Client, admin: Account, account: Account
) -> None:
    headers = bearer(login(api, admin))
    messages = {
        label: _act(api, "revoke-sessions", account.id, reason, headers).json()["detail"][0]["msg"]
        for label, reason in (("blank", " "), ("long", LONG), ("control", "a\x1bb"))
    }
    assert "Give a reason" in messages["blank"]
    assert str(REASON_MAX_LENGTH + 1) in messages["long"]
    assert "printable" in messages["control"]
    query = api.delete(f"/users/{account.id}", params={"reason": " "}, headers=headers)
    assert query.json()["detail"][0]["loc"] == ["query", "reason"]
