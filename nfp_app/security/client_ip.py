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


def is_https(scheme: str, forwarded_proto: str, *, trusted_proxy_hops: int) -> bool:
    """Whether the client used https: the scheme, or X-Forwarded-Proto as trusted proxies say."""
    if scheme == "https":
        return True
    if trusted_proxy_hops <= 0:
        return False
    forwarded = [part.strip().lower() for part in forwarded_proto.split(",") if part.strip()]
    return len(forwarded) >= trusted_proxy_hops and forwarded[-trusted_proxy_hops] == "https"
