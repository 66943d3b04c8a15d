"""One production-mode app per test session, on its own port and its own PostgreSQL database."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.databases import PostgresTemplate
from tests.support.mailbox import MAILBOX_SETTINGS
from tests.support.prod_app import (
    ROOT,
    AppDidNotStartError,
    AppProcess,
    app_env,
    app_process,
    free_port,
)


@dataclass(frozen=True)
class LiveApp:
    """A running `reflex run --env prod`: where it answers and what it runs on."""

    base_url: str
    database_url: str
    secret_key: str
    log_path: Path
    # The running process, for tests that stop and start it (tests/resilience).
    process: AppProcess | None = field(default=None, compare=False, repr=False)

    def url(self, path: str) -> str:
        """An absolute URL on the app."""
        return self.base_url + path


@contextmanager
def start_live_app(
    postgres_template: PostgresTemplate,
    workdir: Path,
    *,
    backend_only: bool = False,
    **settings: str,
) -> Iterator[LiveApp]:
    """Run `reflex run --env prod` on an empty database with extra settings (env variables).

    With `backend_only` no frontend is built: the REST routes answer within seconds. A given
    `DATABASE_URL` and `SECRET_KEY` are used as they are, e.g. another running app's, so that
    two apps act as instances of one.
    """
    database_url = settings.pop("DATABASE_URL", "") or postgres_template.create_database(
        migrated=False
    )
    secret_key = settings.pop("SECRET_KEY", "") or secrets.token_urlsafe(48)
    log = workdir / "reflex.log"
    port = free_port()
    defaults = {
        # Links in emails point at this very app; mail goes to the tests' SMTP server.
        "APP_URL": f"http://localhost:{port}",
        **MAILBOX_SETTINGS,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "BCRYPT_ROUNDS": os.environ.get("LIVE_APP_BCRYPT_ROUNDS", "4"),
        "REFLEX_STATES_WORKDIR": str(workdir / "states"),
        # The suite creates hundreds of accounts from 127.0.0.1; tests/security checks the
        # signup limits on apps of their own.
        "SIGNUP_IP_LIMIT": "0",
        "SIGNUP_TOTAL_LIMIT": "0",
    }
    env = app_env(**{**defaults, **settings})
    try:
        with app_process(env=env, log=log, backend_only=backend_only, port=port) as process:
            yield LiveApp(
                base_url=process.base_url,
                database_url=database_url,
                secret_key=secret_key,
                log_path=log,
                process=process,
            )
    except AppDidNotStartError as error:
        pytest.fail(str(error))


LiveAppFactory = Callable[..., AbstractContextManager[LiveApp]]


@pytest.fixture(scope="session")
def live_app(
    frontend_build: None,
    postgres_template: PostgresTemplate,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveApp]:
    """The real app in production mode on an empty PostgreSQL database (it migrates itself)."""
    del frontend_build  # installed and built once, under its own time limit
    # The whole suite signs in from 127.0.0.1, and schemathesis alone makes hundreds of failed
    # sign-ins a minute: the per-IP limit would stop unrelated tests. Per-account limits keep
    # their defaults; tests/security checks the per-IP default on its own app.
    # The REST tests read the served OpenAPI schema, which production hides by default.
    with start_live_app(
        postgres_template,
        tmp_path_factory.mktemp("live_app"),
        THROTTLE_IP_FAILURES="100000",
        API_DOCS_ENABLED="true",
    ) as app:
        yield app


def _top_level_build(root: Path) -> Callable[[str, list[str]], list[str]]:
    """Skip the old build output, but not the `build` folders inside node_modules packages."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        return ["build"] if Path(folder) == root and "build" in names else []

    return ignore


def own_web_workdir(workdir: Path) -> Path:
    """A copy of the shared frontend folder, without its build, for another frontend app.

    The built frontend bakes in its backend's port: an app that rebuilt the shared folder
    would point the session's `live_app` pages at itself, and at nothing once it stops.
    """
    source = Path(os.environ.get("LIVE_APP_WEB_WORKDIR") or ROOT / ".web")
    web_dir = workdir / "web"
    shutil.copytree(source, web_dir, symlinks=True, ignore=_top_level_build(source))
    return web_dir


@pytest.fixture(scope="session")
def live_app_factory(
    postgres_template: PostgresTemplate, tmp_path_factory: pytest.TempPathFactory
) -> LiveAppFactory:
    """Start another live app with other settings: `with live_app_factory(NAME="value") as app`.

    A frontend app (`backend_only=False`) must start after `live_app`, whose build it copies.
    """

    def start(*, backend_only: bool = True, **settings: str) -> AbstractContextManager[LiveApp]:
        workdir = tmp_path_factory.mktemp("extra_live_app")
        if not backend_only and "REFLEX_WEB_WORKDIR" not in settings:
            settings["REFLEX_WEB_WORKDIR"] = str(own_web_workdir(workdir))
        return start_live_app(postgres_template, workdir, backend_only=backend_only, **settings)

    return start
