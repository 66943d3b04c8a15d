"""The live app answers on its port."""

import urllib.request

import pytest

from tests.support.live_app import LiveApp

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_login_page_is_served(live_app: LiveApp) -> None:
    with urllib.request.urlopen(live_app.url("/login"), timeout=10) as response:  # noqa: S310
        assert response.status == 200
