"""Which worker processes answer an app: the X-Served-By header (SERVED_BY_HEADER=true)."""

from __future__ import annotations

import httpx

from nfp_app.infra.served_by import HEADER


def workers_serving(base_url: str, *, at_least: int = 2, tries: int = 80) -> set[str]:
    """Send requests on fresh connections until `at_least` distinct workers have answered.

    Granian hands each new connection to one worker, so every request opens its own.
    """
    seen: set[str] = set()
    for _ in range(tries):
        with httpx.Client(base_url=base_url, timeout=10) as http:
            response = http.get("/ping", headers={"Connection": "close"})
        assert response.status_code == 200
        assert HEADER in response.headers, f"no {HEADER} header: is SERVED_BY_HEADER on?"
        seen.add(response.headers[HEADER])
        if len(seen) >= at_least:
            break
    return seen
