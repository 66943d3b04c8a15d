"""Property-based checks of every documented operation against /openapi.json (schemathesis)."""

from __future__ import annotations

import httpx
import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import col, select

from nfp_app.api import create_api
from nfp_app.infra import db
from nfp_app.models import User
from tests.support.api import Account, bearer, login, restore_admin
from tests.support.live_app import LiveApp

pytestmark = [pytest.mark.api, pytest.mark.postgres]

# Built in-process so the operations are known at collection time (schemathesis' lazy
# from_fixture loader does not work with pytest 9); the first test proves the live app
# serves exactly this schema, and every request goes to the live app.
OPENAPI = create_api().openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


def test_live_app_serves_the_tested_schema(api: httpx.Client) -> None:
    assert api.get("/openapi.json").json() == OPENAPI


@schema.parametrize()
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_matches_its_schema(
    case: schemathesis.Case,
    live_app: LiveApp,
    api: httpx.Client,
    live_engine: sa.Engine,
    bootstrap_admin: Account,
) -> None:
    # Generated PATCHes may disable the administrator and POST /logout may end its session:
    # restore it and sign in afresh for every case. It stays the only active administrator,
    # so a generated DELETE of it is refused (409) rather than losing it for later cases.
    restore_admin(live_engine, bootstrap_admin)
    with db.session_scope(live_engine) as session:
        others = select(User).where(col(User.is_admin), col(User.id) != bootstrap_admin.id)
        for other in session.exec(others).all():
            other.is_admin = False
            session.add(other)
    token = login(api, bootstrap_admin)
    case.call_and_validate(
        base_url=live_app.base_url,
        headers=bearer(token),
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
