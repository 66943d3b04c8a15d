"""The `override` fixture: other settings for one test, restored afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from nfp_app.infra.settings import Settings, get_settings

Override = Callable[..., Settings]


@pytest.fixture
def override(monkeypatch: pytest.MonkeyPatch) -> Iterator[Override]:
    """Change settings for one test: `override(THROTTLE_IP_FAILURES="3")` returns them."""

    def apply(**values: str) -> Settings:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return get_settings()

    yield apply
    # Cleared before monkeypatch restores the environment; the next use reloads the defaults.
    get_settings.cache_clear()
