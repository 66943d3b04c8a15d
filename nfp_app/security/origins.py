"""Is a request from the app's own pages? Origin and Fetch Metadata checks for cookie routes."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

CROSS_SITE = "cross-site"


def is_cross_site(sec_fetch_site: str) -> bool:
    """Whether the browser says another site started this request (Fetch Metadata)."""
    return sec_fetch_site.strip().lower() == CROSS_SITE


def is_own_origin(origin: str, *, host: str, allowed_origins: Iterable[str]) -> bool:
    """Whether an Origin header names the app itself: an allowed origin, or the requested host.

    A missing or opaque ("null") Origin is refused: browsers send one with every POST.
    """
    origin = origin.strip().lower().rstrip("/")
    if not origin or origin == "null":
        return False
    if origin in {allowed.lower().rstrip("/") for allowed in allowed_origins}:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc == host.lower()


def host_name(host_header: str) -> str:
    """The host name of a Host header, without the port; empty when it is malformed."""
    try:
        return (urlsplit(f"//{host_header.strip()}").hostname or "").lower()
    except ValueError:
        return ""


def is_allowed_host(host_header: str, allowed_hosts: Iterable[str]) -> bool:
    """Whether the Host header names one of the allowed hosts ("*.example.com" for subdomains)."""
    name = host_name(host_header)
    if not name:
        return False
    for allowed in allowed_hosts:
        if allowed == name or (allowed.startswith("*.") and name.endswith(allowed[1:])):
            return True
    return False
