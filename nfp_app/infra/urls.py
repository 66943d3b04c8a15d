"""Absolute addresses of the frontend and backend, which differ only in development."""

from __future__ import annotations

import os

from reflex.config import get_config


def _split_ports() -> bool:
    # Production serves pages and API on one port; `reflex run` in dev uses two.
    return os.environ.get("REFLEX_ENV_MODE", "dev") == "dev"


def backend_url(path: str) -> str:
    """The URL of a backend route, for a full-page navigation from the frontend."""
    return get_config().api_url.rstrip("/") + path if _split_ports() else path


def frontend_url(path: str) -> str:
    """The URL of a page, for a redirect issued by a backend route."""
    deploy_url = get_config().deploy_url
    return deploy_url.rstrip("/") + path if _split_ports() and deploy_url else path


def app_origins() -> tuple[str, ...]:
    """The origins the app's own pages are served from: the CORS and websocket allowlist."""
    origins = get_config().cors_allowed_origins
    return tuple(origin for origin in origins if origin != "*")
