"""The app's cookie names and how a Cookie header is read, the same way on every path."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import cookie_parser

from nfp_app.security.tokens import MAX_SECRET_TEXT

# Over https each cookie carries this prefix: browsers then insist on Secure, Path=/ and no
# Domain, so a sibling subdomain cannot plant or shadow it.
HOST_PREFIX = "__Host-"


@dataclass(frozen=True, slots=True)
class CookieNames:
    """The three cookies of one deployment, all HttpOnly and set only by backend routes."""

    session: str
    binding: str
    device: str

    @classmethod
    def for_base(cls, base: str, *, secure: bool) -> CookieNames:
        """Names derived from SESSION_COOKIE_NAME, prefixed with __Host- over https."""
        prefix = HOST_PREFIX if secure else ""
        return cls(
            session=f"{prefix}{base}",
            binding=f"{prefix}{base}_bind",
            device=f"{prefix}{base}_device",
        )


def read_cookie(header: str, name: str) -> str:
    """One cookie's value from a Cookie header; other cookies, however malformed, don't matter."""
    # Starlette's parser is the browsers' lenient one; http.cookies.SimpleCookie gives up on the
    # whole header at the first value it dislikes, such as JSON from another app on the host.
    value = cookie_parser(header or "").get(name, "")
    return value if len(value) <= MAX_SECRET_TEXT else ""
