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
        assert len(code) == 11
        assert code[5] == "-"
        assert recovery_codes.normalise(code) == code.replace("-", "")
    bits = recovery_codes.LENGTH * math.log2(len(set(recovery_codes.ALPHABET)))
    assert bits >= 50


@pytest.mark.parametrize("typed", ["ABCDE-FGHJK", " abcde fghjk ", "abcdefghjk", "abc-de-fg-hjk"])
def test_input_is_normalised(typed: str) -> None:
    assert recovery_codes.normalise(typed) == "abcdefghjk"


def test_lookalike_letters_read_as_digits() -> None:
    assert recovery_codes.normalise("oiL23-45678") == "01123" + "45678"


@pytest.mark.parametrize(
    "typed", ["", "123456", "abcde-fghj", "abcde-fghjkm", "abcde-fghj!", "uuuuu-uuuuu"]
)
def test_malformed_codes_are_refused(typed: str) -> None:
    assert recovery_codes.normalise(typed) is None
    assert not recovery_codes.looks_like_recovery_code(typed)


def test_only_keyed_hashes_are_stored() -> None:
    digest = recovery_codes.digest("abcdefghjk", key=KEY)
    assert len(digest) == 64
    assert "abcdefghjk" not in digest
    assert digest != recovery_codes.digest("abcdefghjk", key=b"x" * 32)
    assert digest == recovery_codes.digest("abcdefghjk", key=KEY)
