"""The options a browser gets for navigator.credentials.create() and .get()."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

import webauthn
from sqlmodel import Session
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor,
    PublicKeyCredentialRequestOptions,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from nfp_app.models import PasskeyCredential, User
from nfp_app.security import passkeys
from nfp_app.services import passkey_challenges
from nfp_app.services.passkey_challenges import Purpose
from nfp_app.services.passkey_results import Ceremony
from nfp_app.services.passkey_verify import rp_id

USER_HANDLE_BYTES = 32
# Milliseconds the browser waits; the challenge itself lasts five minutes on the server.
TIMEOUT_MS = 300_000


def new_user_handle() -> str:
    """A random WebAuthn user.id (base64url): it reveals nothing about the account."""
    return bytes_to_base64url(secrets.token_bytes(USER_HANDLE_BYTES))


def user_handle_of(credentials: list[PasskeyCredential]) -> str:
    """The handle the user's passkeys share, or a new one for their first."""
    return credentials[0].user_handle if credentials else new_user_handle()


def _descriptors(credentials: list[PasskeyCredential]) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(row.credential_id),
            transports=[AuthenticatorTransport(part) for part in row.transports.split(",") if part]
            or None,
        )
        for row in credentials
    ]


def _json(
    options: PublicKeyCredentialCreationOptions | PublicKeyCredentialRequestOptions,
) -> dict[str, Any]:
    return json.loads(webauthn.options_to_json(options))


def registration(
    *,
    challenge: bytes,
    user_handle: str,
    username: str,
    existing: list[PasskeyCredential],
) -> dict[str, Any]:
    """Options for a new discoverable credential with user verification, attestation "none"."""
    options = webauthn.generate_registration_options(
        rp_id=rp_id(),
        rp_name=passkeys.RP_NAME,
        user_name=username,
        user_id=base64url_to_bytes(user_handle),
        user_display_name=username,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            require_resident_key=True,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(existing),
    )
    return _json(options)


def authentication(
    *, challenge: bytes, allowed: list[PasskeyCredential], user_verification: str
) -> dict[str, Any]:
    """Options for an assertion: any discoverable passkey when `allowed` is empty."""
    options = webauthn.generate_authentication_options(
        rp_id=rp_id(),
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(allowed),
        user_verification=UserVerificationRequirement(user_verification),
    )
    return _json(options)


def assertion_ceremony(
    *,
    session: Session,
    purpose: Purpose,
    now: dt.datetime,
    allowed: list[PasskeyCredential],
    user_verification: str,
    user: User | None = None,
) -> Ceremony:
    """A stored challenge for this purpose (and user), with the options to sign it."""
    handle, challenge = passkey_challenges.issue(
        session=session, purpose=purpose, now=now, user=user
    )
    options = authentication(
        challenge=challenge, allowed=allowed, user_verification=user_verification
    )
    return Ceremony(handle=handle, options=options)
