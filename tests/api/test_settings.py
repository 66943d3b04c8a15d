"""Startup settings of the API: docs on in development, off in production, switchable."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from nfp_app.infra.settings import PROJECT_DIR

pytestmark = [pytest.mark.api]

_DOCS_PROBE = """
from nfp_app.api import create_api
api = create_api()
print(api.docs_url, api.openapi_url, api.redoc_url)
"""


def _python(
    code: str, *, unset: tuple[str, ...] = (), **env: str
) -> subprocess.CompletedProcess[str]:
    inherited = {name: value for name, value in os.environ.items() if name not in unset}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.postgres
def test_docs_are_served_when_enabled(api: httpx.Client) -> None:
    assert api.get("/docs").status_code == 200
    schema = api.get("/openapi.json")
    assert schema.status_code == 200
    assert {"/token", "/users/", "/users/me/", "/logout"} <= set(schema.json()["paths"])


def test_docs_can_be_switched_off() -> None:
    done = _python(_DOCS_PROBE, API_DOCS_ENABLED="false")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["None", "None", "None"]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("dev", ["/docs", "/openapi.json", "/redoc"]), ("prod", ["None", "None", "None"])],
)
def test_docs_default_to_on_in_dev_and_off_in_prod(mode: str, expected: list[str]) -> None:
    done = _python(_DOCS_PROBE, unset=("API_DOCS_ENABLED",), REFLEX_ENV_MODE=mode)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == expected


def test_short_secret_is_refused_at_startup() -> None:
    done = _python("import nfp_app.nfp_app", SECRET_KEY="x" * 31, REFLEX_ENV_MODE="prod")
    assert done.returncode != 0
    assert "SECRET_KEY must be at least 32 bytes" in done.stderr
