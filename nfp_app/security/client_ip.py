"""The client's IP address, trusting X-Forwarded-For only through configured proxies."""

from __future__ import annotations


def client_ip(peer: str, forwarded_for: str, *, trusted_proxy_hops: int) -> str:
    """Reflex's rule for router.session.client_ip, so pages and REST count the same address."""
    if trusted_proxy_hops <= 0:
        return peer
    forwarded = [part.strip() for part in forwarded_for.split(",") if part.strip()]
    if len(forwarded) >= trusted_proxy_hops:
        return forwarded[-trusted_proxy_hops]
    return peer
