"""The tutorial's client contract: sign up, get a token with the form, read /users/me/."""

from __future__ import annotations

import json
import shutil
import subprocess

import httpx
import pytest

from tests.support.accounts import unique_name
from tests.support.live_app import LiveApp

pytestmark = [pytest.mark.api, pytest.mark.postgres]


def test_tutorial_client_flow(live_app: LiveApp) -> None:
    base = live_app.base_url
    username, password = unique_name("tut"), "secret-password"

    response = httpx.post(f"{base}/users/", json={"username": username, "password": password})
    assert response.status_code == 200
    assert response.json()["username"] == username

    response = httpx.post(f"{base}/token", data={"username": username, "password": password})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    headers = {"Authorization": f"Bearer {body['access_token']}"}

    response = httpx.get(f"{base}/users/me/", headers=headers)
    assert response.status_code == 200
    assert response.json()["username"] == username

    response = httpx.get(f"{base}/users/me/items/", headers=headers)
    assert response.status_code == 200
    assert response.json() == [{"item_id": "Foo", "owner": username}]


def test_readme_curl_command_unchanged(live_app: LiveApp) -> None:
    assert shutil.which("curl"), "curl is not installed (scripts/test.sh installs it)"
    port = live_app.base_url.rsplit(":", 1)[1]
    username = unique_name("curl")
    data = json.dumps({"username": username, "password": "secret-password"})
    done = subprocess.run(
        [
            "curl",
            "-sS",
            "-X",
            "POST",
            f"localhost:{port}/users/",
            "-d",
            data,
            "-H",
            "Content-Type: application/json",
            "-w",
            "\n%{http_code}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    body, status = done.stdout.rsplit("\n", 1)
    assert status == "200"
    assert json.loads(body)["username"] == username
