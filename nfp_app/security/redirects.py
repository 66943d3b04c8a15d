"""Where a sign-in may send the browser next: same-site paths only."""

from __future__ import annotations

from nfp_app import routes

DEFAULT_NEXT = routes.AFTER_SIGN_IN
_FORBIDDEN_PREFIXES = (f"{routes.AUTH_PREFIX}/",)


def safe_next(candidate: str | None) -> str:
    """The candidate when it is a plain same-site path, else the default page."""
    if not candidate or len(candidate) > 512:
        return DEFAULT_NEXT
    # "//host" and "/\\host" are protocol-relative in browsers; control characters hide tricks.
    if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return DEFAULT_NEXT
    if any(ord(char) < 0x20 or char in "\\\x7f" for char in candidate):
        return DEFAULT_NEXT
    if candidate.startswith(_FORBIDDEN_PREFIXES):
        return DEFAULT_NEXT
    return candidate
