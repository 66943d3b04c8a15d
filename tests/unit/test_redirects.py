"""Where a sign-in may send the browser next: same-site paths only."""

from __future__ import annotations

import pytest

from nfp_app.security.redirects import DEFAULT_NEXT, safe_next


@pytest.mark.parametrize("path", ["/admin", "/admin?x=1", "/", "/admin/users?page=2#top"])
def test_plain_paths_are_kept(path: str) -> None:
    assert safe_next(path) == path


@pytest.mark.parametrize(
    "candidate",
    [
        None,
        "",
        "https://evil.com",
        "http://evil.com/admin",
        "//evil.com",
        "//evil.com/admin",
        "/\\evil.com",
        "/\\/evil.com",
        "\\\\evil.com",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,hi",
        "admin",
        "/admin\nSet-Cookie: x=1",
        "/\t/evil.com",
        "/admin\x00",
        "/admin\x7f",
        "/auth/logout",
        "/auth/session?code=x",
        "/" + "a" * 600,
    ],
)
def test_unsafe_targets_fall_back_to_default(candidate: str | None) -> None:
    assert safe_next(candidate) == DEFAULT_NEXT


def test_default_is_admin() -> None:
    assert DEFAULT_NEXT == "/admin"
