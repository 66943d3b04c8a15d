"""A page while PostgreSQL is down: a clear "temporarily unavailable" notice, then recovery."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from nfp_app.infra.outage import UNAVAILABLE_MESSAGE
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.databases import PostgresTemplate
from tests.support.live_app import LiveApp, own_web_workdir, start_live_app
from tests.support.postgres_server import PostgresServer, postgres_server
from tests.support.ui import fill_login, goto_ready

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.resilience]


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresServer]:
    """A PostgreSQL cluster of this module's own, to stop and start."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="module")
def outage_app(
    live_app: LiveApp, cluster: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """The production app with its pages, on that cluster."""
    del live_app  # started first, so the shared frontend build below already exists
    workdir = tmp_path_factory.mktemp("outage_app")
    template = PostgresTemplate(cluster.url)
    try:
        with start_live_app(
            template, workdir, REFLEX_WEB_WORKDIR=str(own_web_workdir(workdir))
        ) as app:
            yield app
    finally:
        template.close()


def test_sign_in_while_the_database_is_down(
    page: Page, outage_app: LiveApp, cluster: PostgresServer
) -> None:
    username = unique_name("outage")
    create_user(outage_app, username)
    goto_ready(page, outage_app.url("/login"))
    cluster.stop("fast")
    try:
        fill_login(page, username, PASSWORD)
        notice = page.get_by_text(UNAVAILABLE_MESSAGE)
        expect(notice).to_be_visible()
        expect(page.get_by_text("Temporarily unavailable", exact=True)).to_be_visible()
        expect(page.get_by_text("An error occurred")).to_have_count(0)
        expect(page.locator("#submit")).to_be_enabled()
    finally:
        cluster.start()
    # The same form works again as soon as the database is back.
    fill_login(page, username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin"))
    expect(page.locator("#account-username")).to_have_text(username)
