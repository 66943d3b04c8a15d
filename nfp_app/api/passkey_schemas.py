"""Request and response bodies of the passkey routes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from nfp_app.api.schemas import PasswordInput
from nfp_app.security import tokens

HandleInput = Annotated[
    str,
    Field(
        min_length=1,
        max_length=tokens.MAX_SECRET_TEXT,
        description="The `handle` the matching options call returned; it works once, for 5 minutes",
    ),
]
CredentialInput = Annotated[
    dict[str, Any],
    Field(
        description="The PublicKeyCredential as JSON, exactly as @simplewebauthn/browser's "
        "startRegistration/startAuthentication return it (`id`, `rawId`, `type`, `response`, "
        "`clientExtensionResults`, `authenticatorAttachment`), binary fields in base64url",
    ),
]
NameInput = Annotated[
    str,
    Field(
        max_length=200,
        description="A name to recognise the passkey by, at most 64 characters of plain text; "
        'blank gives "Passkey"',
    ),
]


class CeremonyOptions(BaseModel):
    """A started ceremony: keep `handle` for the verify call, pass `options` to the browser."""

    handle: str = Field(description="Send it back with the credential; valid once, 5 minutes")
    options: dict[str, Any] = Field(
        description="PublicKeyCredentialCreationOptionsJSON or ...RequestOptionsJSON: "
        "@simplewebauthn/browser's `optionsJSON`"
    )


class AuthenticationVerify(BaseModel):
    """The assertion the authenticator made over the sign-in challenge."""

    handle: HandleInput
    credential: CredentialInput


class RegistrationStart(BaseModel):
    """Re-authentication before adding a passkey: the current password, when there is one."""

    password: Annotated[PasswordInput, Field(min_length=1)] | None = Field(
        default=None,
        description="Required when the account has a password; a passkey-only account "
        "leaves it out (its bearer token came from a passkey sign-in)",
    )


class RegistrationVerify(BaseModel):
    """The new credential the authenticator created, and the name to give it."""

    handle: HandleInput
    credential: CredentialInput
    name: NameInput = ""


class PasskeyRename(BaseModel):
    """A new name for a passkey."""

    name: NameInput


class PasskeyEndpoints(BaseModel):
    """Where password managers send people to add or manage their passkeys (W3C passkey
    endpoints well-known URL)."""

    enroll: str
    manage: str
