"""The pure passkey rules: the sign counter (WebAuthn §6.1.1) and RP ID / origin from APP_URL."""

from __future__ import annotations

import pytest

from nfp_app.security import passkeys


@pytest.mark.parametrize(
    ("stored", "received", "acceptable", "why"),
    [
        (0, 0, True, "synced passkeys always send 0"),
        (0, 1, True, "the first use of a counting authenticator"),
        (5, 6, True, "one more use"),
        (5, 100, True, "uses elsewhere (other sites) may skip numbers"),
        (5, 5, False, "equal and nonzero: a replayed or cloned counter"),
        (5, 4, False, "backwards"),
        (5, 0, False, "0 after counting: a clone that does not count"),
        (2**32 - 2, 2**32 - 1, True, "the counter is 32 bits"),
    ],
)
def test_sign_counter_rule(stored: int, received: int, acceptable: bool, why: str) -> None:
    assert passkeys.sign_count_acceptable(received=received, stored=stored) is acceptable, why


@pytest.mark.parametrize(
    ("app_url", "rp_id", "origin"),
    [
        ("http://localhost:3000", "localhost", "http://localhost:3000"),
        ("https://app.example.com", "app.example.com", "https://app.example.com"),
        ("https://App.Example.com:443/base", "app.example.com", "https://app.example.com"),
        ("HTTPS://app.example.com:8443", "app.example.com", "https://app.example.com:8443"),
        ("http://127.0.0.1:80", "127.0.0.1", "http://127.0.0.1"),
    ],
)
def test_rp_id_and_origin_come_from_app_url(app_url: str, rp_id: str, origin: str) -> None:
    assert passkeys.rp_id(app_url) == rp_id
    assert passkeys.expected_origin(app_url) == origin


@pytest.mark.parametrize("app_url", ["", "localhost:3000", "/relative"])
def test_an_app_url_without_a_host_is_an_error(app_url: str) -> None:
    with pytest.raises(ValueError, match="APP_URL"):
        passkeys.expected_origin(app_url)
