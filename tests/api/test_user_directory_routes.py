"""GET /users/ as the administrators' directory: search, filters and cursor pages."""

from __future__ import annotations

import httpx
import pytest

from tests.support.accounts import unique_name
from tests.support.api import Account, bearer, login, signup

pytestmark = [pytest.mark.api, pytest.mark.postgres]


def test_search_pages_by_cursor_in_either_order(api: httpx.Client, admin: Account) -> None:
    prefix = unique_name("dir")
    made = [signup(api, f"{prefix}x{i}") for i in range(3)]
    login(api, made[1])  # one live API session
    headers = bearer(login(api, admin))

    def walk(**params: str) -> list[dict[str, object]]:
        items: list[dict[str, object]] = []
        query: dict[str, str | int] = {"q": prefix.upper(), "limit": 2, **params}
        for _ in range(5):
            response = api.get("/users/", params=query, headers=headers)
            assert response.status_code == 200, response.text
            page = response.json()
            # Counted on the first page only: a cursor page's client knows it already.
            assert page["total"] == (None if "cursor" in query else 3)
            items += page["items"]
            if page["next_cursor"] is None:
                return items
            query["cursor"] = page["next_cursor"]
        raise AssertionError("the pages never ended")

    ascending = walk()
    assert [item["id"] for item in ascending] == [account.id for account in made]
    assert [item["active_sessions"] for item in ascending] == [0, 1, 0]
    assert {item["is_verified"] for item in ascending} == {False}
    assert [item["id"] for item in walk(sort="-created")] == [account.id for account in made][::-1]
    signed_in_first = walk(sort="-last_sign_in", active="true", admin="false")
    assert signed_in_first[0]["id"] == made[1].id
    assert signed_in_first[0]["last_login_at"] is not None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "eyJzIjoiY3JlYXRlZCIsInYiOm51bGwsImkiOjF9"}, "cursor"),  # no timestamp
        (
            {
                "cursor": "eyJzIjoiY3JlYXRlZCIsInYiOiIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwiaSI6MX0",
                "offset": 0,
            },
            "cursor",
        ),
        ({"sort": "name"}, "sort"),
        ({"active": "maybe"}, "active"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_directory_queries_are_422(
    api: httpx.Client, admin: Account, params: dict[str, str | int], field: str
) -> None:
    response = api.get("/users/", params=params, headers=bearer(login(api, admin)))
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", field]
