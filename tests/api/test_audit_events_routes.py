"""GET /audit-events/: administrators only, filters, cursor pages, clear 422s."""

from __future__ import annotations

import datetime as dt
import secrets

import httpx
import pytest
import sqlalchemy as sa

from nfp_app.infra import db
from nfp_app.models import AuthEvent
from tests.support.api import Account, bearer, login

pytestmark = [pytest.mark.api, pytest.mark.postgres]

BASE = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)


def _unique_ip() -> str:
    return f"198.51.{secrets.randbelow(256)}.{secrets.randbelow(256)}-{secrets.token_hex(3)}"


def _seed(engine: sa.Engine, ip: str, user_id: int | None) -> None:
    """Five events from one IP, an hour apart; the odd ones are the user's failed logins."""
    rows = [
        {
            "created_at": BASE + dt.timedelta(hours=i),
            "event": "login" if i % 2 else "logout",
            "outcome": "failure" if i % 2 else "success",
            "user_id": user_id if i % 2 else None,
            "username": f"who{i}",
            "ip": ip,
            "user_agent": "pytest",
            "detail": f"n{i}",
        }
        for i in range(5)
    ]
    with db.session_scope(engine) as session:
        session.execute(sa.insert(AuthEvent), rows)


def test_only_administrators_may_read_the_log(api: httpx.Client, account: Account) -> None:
    anonymous = api.get("/audit-events/")
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    user = api.get("/audit-events/", headers=bearer(login(api, account)))
    assert user.status_code == 403
    assert user.json() == {"detail": "Administrator rights required."}


def test_filters_and_cursor_pages(
    api: httpx.Client, admin: Account, account: Account, live_engine: sa.Engine
) -> None:
    ip = _unique_ip()
    _seed(live_engine, ip, account.id)
    headers = bearer(login(api, admin))

    def details(**params: str | int) -> list[str]:
        response = api.get("/audit-events/", params={"ip": ip, **params}, headers=headers)
        assert response.status_code == 200, response.text
        return [item["detail"] for item in response.json()["items"]]

    assert details() == ["n4", "n3", "n2", "n1", "n0"]
    assert details(type="login") == ["n3", "n1"]
    assert details(outcome="success") == ["n4", "n2", "n0"]
    assert details(user_id=account.id) == ["n3", "n1"]
    # since inclusive, until exclusive; a naive time is UTC, an offset is honoured.
    assert details(since="2025-06-01T13:00:00", until="2025-06-01T15:00:00Z") == ["n2", "n1"]
    assert details(until="2025-06-01T15:00:00+02:00") == ["n0"]

    items: list[dict[str, object]] = []
    params: dict[str, str | int] = {"ip": ip, "limit": 2}
    for _ in range(5):
        page = api.get("/audit-events/", params=params, headers=headers).json()
        items += page["items"]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert [item["detail"] for item in items] == ["n4", "n3", "n2", "n1", "n0"]
    first = items[1]
    assert first["event"] == "login"
    assert first["user_id"] == account.id
    assert first["created_at"] == "2025-06-01T15:00:00Z"
    assert set(first) == {
        "id", "created_at", "event", "outcome", "user_id", "username", "ip", "user_agent", "detail"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"type": "hack"}, "type", "'login'"),
        ({"outcome": "maybe"}, "outcome", "'throttled'"),
        ({"since": "yesterday"}, "since", "datetime"),
        ({"since": "2025-06-02T00:00:00", "until": "2025-06-01T00:00:00"}, "until", "after"),
        ({"user_id": 0}, "user_id", "greater than"),
        ({"limit": 201}, "limit", "less than"),
        ({"limit": 0}, "limit", "greater than"),
        ({"cursor": "tampered"}, "cursor", "Invalid cursor"),
        ({"cursor": "eyJ0IjoiMjAyNi0wMy0wMVQwMDowMDowMCIsImkiOjF9"}, "cursor", "Invalid cursor"),
        ({"ip": "a\x00b"}, "ip", "IP address"),
        ({"ip": "x" * 65}, "ip", "64"),
    ],
)
def test_bad_parameters_are_422(
    api: httpx.Client, admin: Account, params: dict[str, str | int], field: str, says: str
) -> None:
    response = api.get("/audit-events/", params=params, headers=bearer(login(api, admin)))
    assert response.status_code == 422, response.text
    error = response.json()["detail"][0]
    assert error["loc"] == ["query", field]
    assert says in error["msg"]


def test_the_route_is_documented(api: httpx.Client) -> None:
    schema = api.get("/openapi.json").json()
    operation = schema["paths"]["/audit-events/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"user_id", "type", "outcome", "ip", "since", "until", "cursor", "limit"}
    assert {"200", "401", "403", "422"} <= set(operation["responses"])
