"""Recovery codes: ten distinct codes of 50 bits, forgiving input, keyed hashes."""

from __future__ import annotations

import math

import pytest

from nfp_app.security import recovery_codes

KEY = b"k" * 32


def test_a_set_has_ten_distinct_readable_codes_of_50_bits() -> None:
    codes = recovery_codes.new_codes()
    assert len(codes) == 10 == len(set(codes))
    for code in codes:
        assert len(code) == 29
        assert [code[index] for index in (5, 11, 17, 23)] == ["-"] * 4
        assert recovery_codes.normalise(code) == code.replace("-", "")
    bits = recovery_codes.LENGTH * math.log2(len(set(recovery_codes.ALPHABET)))
    assert bits >= 112  # ASVS 5.0 6.5.2: a plain (keyed) hash is enough from 112 bits


CODE = "abcdefghjkmnpqrstvwxyz012"


@pytest.mark.parametrize(
    "typed",
    [
        "ABCDE-FGHJK-MNPQR-STVWX-YZ012",
        " abcde fghjk mnpqr stvwx yz012 ",
        CODE,
        "abc-de-fg-hjkmnpqrstvwxyz012",
    ],
)
def test_input_is_normalised(typed: str) -> None:
    assert recovery_codes.normalise(typed) == CODE


def test_lookalike_letters_read_as_digits() -> None:
    assert recovery_codes.normalise("oiL23-45678-99999-99999-99999") == "0112345678" + "9" * 15


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "123456",
        "abcde-fghjk",  # the old, 50-bit shape
        CODE[:-1],
        CODE + "m",
        CODE[:-1] + "!",
        "u" * 25,
    ],
)
def test_malformed_codes_are_refused(typed: str) -> None:
    assert recovery_codes.normalise(typed) is None
    assert not recovery_codes.looks_like_recovery_code(typed)


def test_only_keyed_hashes_are_stored() -> None:
    digest = recovery_codes.digest(CODE, key=KEY)
    assert len(digest) == 64
    assert CODE not in digest
    assert digest != recovery_codes.digest(CODE, key=b"x" * 32)
    assert digest == recovery_codes.digest(CODE, key=KEY)
