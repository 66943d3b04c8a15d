"""Production scaled out: several workers sharing state through Redis and one PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from nfp_app import db
from tests.e2e.conftest import (
    ContextFactory,
    goto_ready,
    login,
    new_page,
    persistent_cookies,
    signup,
    unique_name,
)
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.prod_app import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

WORKERS = 3


def _top_level_build(root: Path) -> Callable[[str, list[str]], list[str]]:
    """Skip the old build output, but not the `build` folders inside node_modules packages."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        return ["build"] if Path(folder) == root and "build" in names else []

    return ignore


@pytest.fixture(scope="module")
def scaled_app(
    live_app: LiveApp, live_app_factory: LiveAppFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """A second production app with Redis state and several Granian workers."""
    del live_app  # started first, so the shared frontend build below already exists
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.fail("TEST_REDIS_URL is not set: run the suite with scripts/test.sh")
    # The built frontend bakes in its port, so this app needs its own copy of the build folder.
    source = Path(os.environ.get("LIVE_APP_WEB_WORKDIR") or ROOT / ".web")
    web_dir = tmp_path_factory.mktemp("scaled_web") / "web"
    shutil.copytree(source, web_dir, symlinks=True, ignore=_top_level_build(source))
    with live_app_factory(
        backend_only=False,
        REFLEX_WEB_WORKDIR=str(web_dir),
        REFLEX_REDIS_URL=redis_url,
        GRANIAN_WORKERS=str(WORKERS),
    ) as app:
        yield app


def test_sign_in_survives_reloads_across_workers(
    page: Page, scaled_app: LiveApp, new_context: ContextFactory
) -> None:
    """Every reload may land on another worker; the session and the cookie work on all of them."""
    username = unique_name("scaled")
    signup(page, scaled_app, username)
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login"))
    login(page, scaled_app, username, remember=True)
    for _ in range(2 * WORKERS):
        page.reload()
        expect(page.locator("#account-username")).to_have_text(username)
    restored = new_page(new_context(cookies=persistent_cookies(page.context)))
    goto_ready(restored, scaled_app.url("/admin"))
    expect(restored.locator("#account-username")).to_have_text(username)


def test_workers_migrated_the_database_once(scaled_app: LiveApp) -> None:
    """All workers ran migrations at start; the advisory lock left one clean version row."""
    with db.engine_for(scaled_app.database_url).connect() as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1
    assert "Traceback" not in scaled_app.log_path.read_text()
