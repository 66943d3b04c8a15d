"""The deployable bundle, as an operator gets it: built by scripts/bundle.sh, unpacked into an
empty folder, given its own venv, started with its start.sh on PostgreSQL, and signed in to in
Chromium over TLS through the example nginx site (docs/deploy/nginx.conf)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import tarfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.support import api
from tests.support.accounts import unique_name
from tests.support.databases import PostgresTemplate
from tests.support.live_app import LiveApp
from tests.support.nginx import render_site, running_nginx
from tests.support.prod_app import ROOT, free_port
from tests.support.ui import VIEWPORT, login, login_page_ready, signup, watch_page

pytestmark = [pytest.mark.deploy, pytest.mark.postgres]

# Each slow step has its own limit, and together they stay inside pytest's 300 s per test (the
# first test's setup does all three). Measured on 2 busy cores: about 30 s, 50 s and 5 s.
BUILD_SECONDS = 140  # up to 2 min when the checkout has no .web/node_modules to copy
INSTALL_SECONDS = 100  # a venv from pip's cache
START_SECONDS = 40


@dataclass(frozen=True)
class Ports:
    """The bundled app's own port, and nginx's in front of it."""

    app: int
    http: int
    https: int

    @property
    def public_url(self) -> str:
        """Where people open the app: nginx, over TLS."""
        return f"https://127.0.0.1:{self.https}"


def _git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def _own_environment(**settings: str) -> dict[str, str]:
    """This process's environment without the test suite's app settings, plus `settings`."""
    ours = ("DATABASE_URL", "SECRET_KEY", "BCRYPT_ROUNDS", "LIVE_APP_WEB_WORKDIR")
    env = {k: v for k, v in os.environ.items() if k not in ours and not k.startswith("REFLEX_")}
    return {**env, **settings}


def _checkout_web_dir() -> dict[str, str]:
    """Where this run's frontend packages are, for the build to copy (it defaults to .web)."""
    web_dir = os.environ.get("LIVE_APP_WEB_WORKDIR")
    return {"REFLEX_WEB_WORKDIR": web_dir} if web_dir else {}


def _step(
    command: list[str], *, what: str, seconds: float, env: dict[str, str] | None = None
) -> str:
    """Run one step of the deployment; a failure shows the end of its output."""
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} took longer than {seconds} s")
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        pytest.fail(f"{what} failed ({result.returncode}):\n{output}")
    return result.stdout


@pytest.fixture(scope="module")
def ports() -> Ports:
    return Ports(app=free_port(), http=free_port(), https=free_port())


@pytest.fixture(scope="module")
def bundle_archive(ports: Ports, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """scripts/bundle.sh's archive for this test's public URL; the checkout stays as it was."""
    before = _git_status()
    output = _step(
        [str(ROOT / "scripts" / "bundle.sh"), "--out", str(tmp_path_factory.mktemp("dist"))],
        what="scripts/bundle.sh",
        seconds=BUILD_SECONDS,
        env=_own_environment(REFLEX_API_URL=ports.public_url, **_checkout_web_dir()),
    )
    assert _git_status() == before, "scripts/bundle.sh changed the checkout"
    return Path(output.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def bundle_dir(bundle_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive unpacked on an empty "host", with the venv its install.sh makes."""
    host = tmp_path_factory.mktemp("deploy_host")
    with tarfile.open(bundle_archive) as archive:
        archive.extractall(host, filter="data")
    (folder,) = host.iterdir()
    _step([str(folder / "install.sh")], what="install.sh", seconds=INSTALL_SECONDS)
    return folder


def _wait_for_ping(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"start.sh exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"start.sh did not answer within {START_SECONDS} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def bundled_app(
    bundle_dir: Path,
    ports: Ports,
    postgres_template: PostgresTemplate,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveApp]:
    """start.sh on an empty PostgreSQL database, configured as docs/DEPLOY.md says."""
    database_url = postgres_template.create_database(migrated=False)
    secret_key = secrets.token_urlsafe(48)
    workdir = tmp_path_factory.mktemp("bundled_app")
    env = _own_environment(
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        APP_URL=ports.public_url,
        REFLEX_DEPLOY_URL=ports.public_url,
        ALLOWED_HOSTS="127.0.0.1",
        TRUSTED_PROXY_HOPS="1",
        BCRYPT_ROUNDS="4",
        REFLEX_STATES_WORKDIR=str(workdir / "states"),
        # No node on PATH: the bundle must serve its pages without building them.
        PATH="/usr/bin:/bin",
    )
    log = workdir / "app.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [str(bundle_dir / "start.sh"), "--host", "127.0.0.1", "--port", str(ports.app)],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for_ping(f"http://127.0.0.1:{ports.app}/ping", process, log)
        yield LiveApp(
            base_url=f"http://127.0.0.1:{ports.app}",
            database_url=database_url,
            secret_key=secret_key,
            log_path=log,
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def proxied_app(
    bundled_app: LiveApp, ports: Ports, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """The bundled app behind the example nginx site, which terminates TLS."""
    site = render_site(
        tmp_path_factory.mktemp("proxy"),
        upstream=f"127.0.0.1:{ports.app}",
        http_port=ports.http,
        https_port=ports.https,
    )
    with running_nginx(site):
        yield LiveApp(
            base_url=ports.public_url,
            database_url=bundled_app.database_url,
            secret_key=bundled_app.secret_key,
            log_path=bundled_app.log_path,
        )


def test_bundle_holds_the_built_pages_and_no_build_folder(bundle_dir: Path) -> None:
    # Only what the archive brought: not the venv that install.sh made.
    names = {
        path.relative_to(bundle_dir).as_posix()
        for path in bundle_dir.rglob("*")
        if not path.relative_to(bundle_dir).as_posix().startswith(".venv")
    }
    for needed in ("start.sh", "serve.py", "web/build/client/index.html", "nfp_app/nfp_app.py"):
        assert needed in names
    for needed in ("rxconfig.py", "alembic.ini", "requirements.txt", "constraints.txt"):
        assert needed in names
    assert not any("node_modules" in name or name.startswith(".web") for name in names)


def test_systemd_unit_verifies_against_the_bundle(bundle_dir: Path, tmp_path: Path) -> None:
    """docs/deploy/nfp_app.service, pointed at the unpacked bundle, has no unknown or bad line."""
    unit = (ROOT / "docs" / "deploy" / "nfp_app.service").read_text()
    assert "/opt/nfp_app/current" in unit
    rendered = tmp_path / "nfp_app.service"
    rendered.write_text(unit.replace("/opt/nfp_app/current", str(bundle_dir)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(rendered)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert str(rendered) not in result.stderr + result.stdout


def test_one_port_serves_pages_and_rest_routes(bundled_app: LiveApp) -> None:
    """Straight to the app's port: the prebuilt pages, /ping, and the REST routes."""
    with httpx.Client(base_url=bundled_app.base_url, timeout=10) as client:
        page = client.get("/login/")
        assert page.status_code == 200
        assert page.text.startswith("<!DOCTYPE html>")
        account = api.signup(client)
        token = api.login(client, account)
        me = client.get("/users/me/", headers=api.bearer(token))
        assert me.json()["username"] == account.username


def test_sign_up_log_out_and_sign_in_through_nginx(browser: Browser, proxied_app: LiveApp) -> None:
    """The pages' websocket reaches the app through the proxy's upgrade headers, over TLS."""
    context = browser.new_context(viewport=VIEWPORT, ignore_https_errors=True)
    try:
        page = watch_page(context.new_page())
        username = unique_name("proxied")
        signup(page, proxied_app, username)
        # X-Forwarded-Proto reached the app: the session cookie is a Secure __Host- cookie.
        cookies = {cookie.get("name"): cookie for cookie in context.cookies()}
        assert cookies["__Host-nfp_session"].get("secure") is True

        page.click("#logout")
        login_page_ready(page)
        assert "__Host-nfp_session" not in {cookie.get("name") for cookie in context.cookies()}

        login(page, proxied_app, username)
        expect(page.locator("#nav-username")).to_have_text(username)
    finally:
        context.close()
