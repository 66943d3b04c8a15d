"""WebAuthn relying-party facts derived from APP_URL, and the sign-counter rule."""

from __future__ import annotations

from urllib.parse import urlsplit

RP_NAME = "nfp_app"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def rp_id(app_url: str) -> str:
    """The relying-party ID: the host name of APP_URL (no scheme, port or path)."""
    host = urlsplit(app_url).hostname
    if not host:
        raise ValueError(f"APP_URL has no host: {app_url!r}")
    return host


def expected_origin(app_url: str) -> str:
    """The one origin assertions may come from: APP_URL's scheme://host[:port]."""
    parts = urlsplit(app_url)
    if not parts.scheme or not parts.hostname:
        raise ValueError(f"APP_URL has no scheme or host: {app_url!r}")
    scheme = parts.scheme.lower()
    # Browsers leave a default port out of the origin they report.
    default = _DEFAULT_PORTS.get(scheme)
    port = f":{parts.port}" if parts.port not in (None, default) else ""
    return f"{scheme}://{parts.hostname}{port}"


def sign_count_acceptable(*, received: int, stored: int) -> bool:
    """Whether an assertion's counter is believable (WebAuthn L3 §6.1.1).

    Synced passkeys always send 0, so 0 after 0 is fine; a counting authenticator must go up.
    Anything else (equal and nonzero, backwards, or 0 after counting) may be a cloned key.
    """
    if received == 0 and stored == 0:
        return True
    return received > stored
