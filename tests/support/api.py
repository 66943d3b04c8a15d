"""REST helpers: accounts made through the API, bearer tokens, and a response check."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import sqlalchemy as sa
from sqlmodel import col, delete, or_

from nfp_app.infra import db
from nfp_app.models import ThrottleHit
from nfp_app.services import account_changes
from nfp_app.services.signin import account_key_for
from tests.support.accounts import PASSWORD, unique_name

# Whatever a response says, it never carries a password hash or the column that holds one.
FORBIDDEN_IN_RESPONSES = ("$2b$", "$bcrypt-sha256$", "hashed_password")


def no_hash_leaks(response: httpx.Response) -> None:
    """An httpx response hook: fail on any trace of a password hash."""
    response.read()
    for marker in FORBIDDEN_IN_RESPONSES:
        assert marker not in response.text, f"{marker!r} in {response.request.url}"


@dataclass(frozen=True)
class Account:
    """A user created through the API, with its password."""

    id: int
    username: str
    password: str


def signup(api: httpx.Client, username: str | None = None) -> Account:
    """Create a user with POST /users/."""
    name = username or unique_name()
    response = api.post("/users/", json={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return Account(id=response.json()["id"], username=name, password=PASSWORD)


def login(api: httpx.Client, account: Account) -> str:
    """A fresh bearer token for an account."""
    response = api.post("/token", data={"username": account.username, "password": account.password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


def restore_admin(engine: sa.Engine, account: Account) -> None:
    """Make the account an active administrator again, whatever earlier requests did: also
    forget the wrong passwords that generated requests counted against it."""
    key = account_key_for(account.username)
    with db.session_scope(engine) as session:
        account_changes.update_status(session=session, user_id=account.id, active=True, admin=True)
        session.exec(
            delete(ThrottleHit).where(
                or_(col(ThrottleHit.key) == key, col(ThrottleHit.key).startswith(f"{key}|"))
            )
        )
