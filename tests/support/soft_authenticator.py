"""A software WebAuthn authenticator: real P-256 keys and signatures, and JSON in exactly the
shape @simplewebauthn/browser posts, so the server is tested without a browser."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

FLAG_UP = 0x01
FLAG_UV = 0x04
FLAG_BE = 0x08
FLAG_BS = 0x10
FLAG_AT = 0x40
# COSE: kty EC2 (2), alg ES256 (-7), crv P-256 (1).
_COSE_EC2, _COSE_ES256, _COSE_P256 = 2, -7, 1


def b64url(data: bytes) -> str:
    """base64url without padding, as WebAuthn JSON uses."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    """The bytes of unpadded base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftPasskey:
    """One discoverable credential the soft authenticator holds."""

    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    # A synced passkey never counts: it always sends 0.
    counting: bool
    sign_count: int = 0

    @property
    def id(self) -> str:
        """The credential id as the JSON carries it."""
        return b64url(self.credential_id)


@dataclass
class SoftAuthenticator:
    """A platform authenticator with resident keys and user verification."""

    origin: str
    synced: bool = False
    aaguid: bytes = bytes(16)
    transports: tuple[str, ...] = ("internal", "hybrid")
    attachment: str = "platform"
    passkeys: list[SoftPasskey] = field(default_factory=list)

    def _flags(self, *, user_verified: bool, attested: bool) -> int:
        flags = FLAG_UP | (FLAG_UV if user_verified else 0)
        if self.synced:
            flags |= FLAG_BE | FLAG_BS
        return flags | (FLAG_AT if attested else 0)

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin}
        return json.dumps({**data, "crossOrigin": False}, separators=(",", ":")).encode()

    def create(
        self, options: dict[str, Any], *, origin: str | None = None, user_verified: bool = True
    ) -> dict[str, Any]:
        """navigator.credentials.create(): a new passkey for `options` (optionsJSON)."""
        rp_id = options["rp"]["id"]
        key = ec.generate_private_key(ec.SECP256R1())
        passkey = SoftPasskey(
            credential_id=secrets.token_bytes(32),
            private_key=key,
            rp_id=rp_id,
            user_handle=unb64url(options["user"]["id"]),
            counting=not self.synced,
        )
        numbers = key.public_key().public_numbers()
        cose_key = cbor2.dumps(
            {
                1: _COSE_EC2,
                3: _COSE_ES256,
                -1: _COSE_P256,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        attested = (
            self.aaguid
            + struct.pack(">H", len(passkey.credential_id))
            + passkey.credential_id
            + cose_key
        )
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([self._flags(user_verified=user_verified, attested=True)])
            + struct.pack(">I", 0)
            + attested
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        self.passkeys.append(passkey)
        return {
            "id": passkey.id,
            "rawId": passkey.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": list(self.transports),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": self.attachment,
        }

    def get(
        self,
        options: dict[str, Any],
        *,
        passkey: SoftPasskey | None = None,
        origin: str | None = None,
        user_verified: bool = True,
        sign_count: int | None = None,
    ) -> dict[str, Any]:
        """navigator.credentials.get(): an assertion over `options` (optionsJSON).

        `sign_count` forces the counter sent (a clone replaying an old value)."""
        chosen = passkey or self._pick(options)
        if sign_count is not None:
            count = sign_count
        elif chosen.counting:
            chosen.sign_count += 1
            count = chosen.sign_count
        else:
            count = 0
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([self._flags(user_verified=user_verified, attested=False)])
            + struct.pack(">I", count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = chosen.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": chosen.id,
            "rawId": chosen.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(chosen.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": self.attachment,
        }

    def _pick(self, options: dict[str, Any]) -> SoftPasskey:
        allowed = {item["id"] for item in options.get("allowCredentials") or []}
        for passkey in reversed(self.passkeys):
            if passkey.rp_id == options["rpId"] and (not allowed or passkey.id in allowed):
                return passkey
        raise LookupError("no passkey of this authenticator fits the options")


def tampered(assertion: dict[str, Any]) -> dict[str, Any]:
    """The assertion with one bit of its signature flipped."""
    signature = bytearray(unb64url(assertion["response"]["signature"]))
    signature[-1] ^= 0x01
    response = {**assertion["response"], "signature": b64url(bytes(signature))}
    return {**assertion, "response": response}
