"""The TOTP secret at rest: AES-GCM, a derived key, bound to its row."""

from __future__ import annotations

import pytest

from nfp_app.security import secret_box

MASTER = "a master secret of at least thirty-two bytes, for tests"


def _key(master: str = MASTER, info: str = "nfp_app totp secret v1") -> bytes:
    return secret_box.derive_key(master, info=info)


def test_round_trip_with_a_versioned_random_nonce() -> None:
    first = secret_box.seal("JBSWY3DPEHPK3PXP", key=_key(), context="user 1")
    second = secret_box.seal("JBSWY3DPEHPK3PXP", key=_key(), context="user 1")
    assert first.startswith("v1:")
    assert first != second
    assert "JBSWY3DPEHPK3PXP" not in first
    assert secret_box.open_sealed(first, key=_key(), context="user 1") == "JBSWY3DPEHPK3PXP"


def test_keys_differ_per_master_and_purpose() -> None:
    assert _key() != _key(master=MASTER + "!")
    assert _key() != _key(info="nfp_app recovery code v1")
    assert len(_key()) == 32


@pytest.mark.parametrize(
    ("key", "context"),
    [(_key(master="another master secret of thirty-two bytes!!"), "user 1"), (_key(), "user 2")],
    ids=["wrong key", "another row"],
)
def test_wrong_key_or_row_raises_a_clear_error(key: bytes, context: str) -> None:
    sealed = secret_box.seal("JBSWY3DPEHPK3PXP", key=_key(), context="user 1")
    with pytest.raises(secret_box.SecretBoxError, match="encryption key"):
        secret_box.open_sealed(sealed, key=key, context=context)


@pytest.mark.parametrize("value", ["v1:not base64!", "v1:", "v2:AAAA", "plain"])
def test_damaged_or_unknown_values_raise(value: str) -> None:
    with pytest.raises(secret_box.SecretBoxError):
        secret_box.open_sealed(value, key=_key(), context="user 1")
