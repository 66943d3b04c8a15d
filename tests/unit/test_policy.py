"""Username, email and password rules, and the password strength hint."""

from __future__ import annotations

import pytest

from nfp_app.security import policy, strength
from nfp_app.security.policy import PolicyError


@pytest.mark.parametrize(
    "variant", ["Alice", "alice", "ALICE", "aLiCe", "ａｌｉｃｅ", "ＡＬＩＣＥ"]
)
def test_username_variants_share_one_key(variant: str) -> None:
    assert policy.normalize_username(variant) == "alice"


def test_username_key_casefolds_beyond_ascii() -> None:
    assert policy.normalize_username("STRASSE") == policy.normalize_username("straße")
    assert policy.normalize_username("ΣΊΣΥΦΟΣ") == policy.normalize_username("σίσυφος")


def test_check_username_keeps_case_and_applies_nfkc() -> None:
    assert policy.check_username("Alice") == "Alice"
    assert policy.check_username("Ａｌｉｃｅ") == "Alice"
    assert policy.check_username("  bob  ") == "bob"
    assert policy.check_username("cafe\u0301") == "café"


@pytest.mark.parametrize(
    "name", ["abc", "a" * 32, "a.b_c-d", "user_01", "Zoë", "用户名", "x-y.z", "123"]
)
def test_allowed_usernames(name: str) -> None:
    assert policy.check_username(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "ab",
        "   ",
        "a" * 33,
        "ali ce",
        "ali\u200bce",  # zero-width space
        "ali\u200dce",  # zero-width joiner
        "ali\ufeffce",  # byte order mark
        "ali\u202ece",  # right-to-left override
        "ali\u2066ce",  # left-to-right isolate
        "ali\x00ce",
        "ali\tce",
        "ali\nce",
        "ali\x7fce",
        "ali\u00a0ce",  # no-break space
        "a@b.com",
        "alice!",
        "<script>",
        "ali/ce",
        "ali'ce",
        "😀😀😀",
    ],
)
def test_refused_usernames(name: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policy.check_username(name)
    assert caught.value.field == "username"
    assert caught.value.message


def test_longest_username_key_fits_the_column() -> None:
    # Case folding can double a character (ß -> ss); the key column holds 64.
    name = policy.check_username("ß" * policy.USERNAME_MAX_LENGTH)
    assert len(policy.normalize_username(name)) <= 64


@pytest.mark.parametrize(
    "password",
    ["a passphrase of mine", "p" * 1024, "é" * 12, "😀" * 1024, "pass word with spaces"],
)
def test_allowed_passwords(password: str) -> None:
    assert policy.check_password(password) == password


@pytest.mark.parametrize(
    "password", ["", "12345678901", "p" * 1025, "😀" * 1025, "pass\x00word long enough"]
)
def test_refused_passwords(password: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policy.check_password(password)
    assert caught.value.field == "password"


def test_password_length_counts_code_points() -> None:
    # 11 code points but 44 bytes: still too short; 12 four-byte characters are enough.
    with pytest.raises(PolicyError):
        policy.check_password("😀" * 11)
    assert policy.check_password("😀" * 12) == "😀" * 12


def test_minimum_length_follows_the_setting() -> None:
    assert policy.check_password("eight ch", min_length=8) == "eight ch"
    with pytest.raises(PolicyError, match="at least 16 characters"):
        policy.check_password("fifteen chars!!", min_length=16)


def test_passwords_are_nfkc_normalised() -> None:
    assert policy.check_password("ｐａｓｓｐｈｒａｓｅ ｏｆ ｍｉｎｅ") == "passphrase of mine"
    assert policy.normalize_password("cafe\u0301 1234") == "café 1234"


@pytest.mark.parametrize(
    ("email", "stored"),
    [
        ("a@b.co", "a@b.co"),
        ("  Alice@Example.com ", "Alice@Example.com"),
        ("first.last+tag@sub.example.org", "first.last+tag@sub.example.org"),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_allowed_emails(email: str | None, stored: str | None) -> None:
    assert policy.check_email(email) == stored


@pytest.mark.parametrize(
    "email",
    ["no-at-sign", "a@b", "@b.co", "a@.", "a b@c.co", "a@b@c.co", "x" * 250 + "@b.co"],
)
def test_refused_emails(email: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policy.check_email(email)
    assert caught.value.field == "email"


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("", (0, "")),
        ("aaaaaaaaaaaaaaaaaaaa", (0, "Very weak")),
        ("qwerty123456", (0, "Too common")),
        ("correct horse battery staple", (4, "Strong")),
    ],
)
def test_password_strength_labels(password: str, expected: tuple[int, str]) -> None:
    assert strength.password_strength(password) == expected


def test_password_strength_too_short() -> None:
    score, label = strength.password_strength("Ab1!")
    assert score == 0
    assert label.startswith("Too short")
