"""Checking what an authenticator sent: a new credential (attestation "none") or an assertion,
against the challenge, APP_URL's origin and RP ID, user verification and the sign counter."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import webauthn
from sqlmodel import Session, col, select
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import AuthenticatorTransport, CredentialDeviceType

from nfp_app.infra.settings import get_settings
from nfp_app.models import PasskeyCredential, User, WebauthnChallenge
from nfp_app.security import passkeys
from nfp_app.services import audit
from nfp_app.services.passkey_results import NOT_VERIFIED, Refused

logger = logging.getLogger("nfp_app.passkeys")

# Whatever a client sends, malformed input must end as a refusal, not a traceback.
_MALFORMED = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError, IndexError)
_TRANSPORTS = frozenset(transport.value for transport in AuthenticatorTransport)
CREDENTIAL_ID_MAX = 1400
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
CLONE_SUSPECTED = "possible cloned authenticator: sign counter did not increase"


def rp_id() -> str:
    """The RP ID of this deployment (APP_URL's host)."""
    return passkeys.rp_id(get_settings().app_url)


def origin() -> str:
    """The only origin whose ceremonies count (APP_URL's scheme://host[:port])."""
    return passkeys.expected_origin(get_settings().app_url)


def _transports(credential: dict[str, Any]) -> str:
    response = credential.get("response")
    listed = response.get("transports") if isinstance(response, dict) else None
    if not isinstance(listed, list):
        return ""
    known = [item for item in listed if isinstance(item, str) and item in _TRANSPORTS]
    return ",".join(dict.fromkeys(known))


def new_credential(
    *, row: WebauthnChallenge, credential: dict[str, Any], user_id: int, name: str
) -> PasskeyCredential | None:
    """The credential a registration response creates (not stored yet), or None if refused."""
    if not isinstance(credential, dict):
        return None
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(row.challenge),
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            require_user_verification=True,
        )
    except _MALFORMED as error:
        logger.info("passkey registration refused: %s", error)
        return None
    credential_id = bytes_to_base64url(verified.credential_id)
    if len(credential_id) > CREDENTIAL_ID_MAX:
        return None
    return PasskeyCredential(
        user_id=user_id,
        credential_id=credential_id,
        user_handle=row.user_handle,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=_transports(credential),
        aaguid=verified.aaguid,
        backup_eligible=verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE,
        backup_state=verified.credential_backed_up,
        name=name,
    )


def is_registered(*, session: Session, credential_id: str) -> bool:
    """Whether some account already has this credential."""
    query = select(PasskeyCredential.id).where(
        col(PasskeyCredential.credential_id) == credential_id
    )
    return session.exec(query).first() is not None


def _is_credential_id(text: str) -> bool:
    # Checked before the lookup: text that is no base64url (a NUL, say) must not reach SQL.
    return len(text) <= CREDENTIAL_ID_MAX and _BASE64URL.fullmatch(text) is not None


def _refuse(
    session: Session, stored: PasskeyCredential | None, detail: str, ip: str, user_agent: str
) -> Refused:
    user = session.get(User, stored.user_id) if stored is not None else None
    audit.record(
        session=session,
        event="passkey_verify",
        outcome="failure",
        user_id=user.id if user else None,
        username=user.username if user else "",
        ip=ip,
        user_agent=user_agent,
        detail=detail,
    )
    return Refused(NOT_VERIFIED)


def check_assertion(
    *,
    session: Session,
    row: WebauthnChallenge,
    credential: dict[str, Any],
    require_user_verification: bool,
    now: dt.datetime,
    user: User | None = None,
    ip: str = "",
    user_agent: str = "",
) -> PasskeyCredential | Refused:
    """The stored credential that signed this challenge (of `user`, when given), its counter
    and last use updated; a refusal is audited."""
    credential_id = credential.get("id") if isinstance(credential, dict) else None
    if not isinstance(credential_id, str) or not _is_credential_id(credential_id):
        return _refuse(session, None, "malformed response", ip, user_agent)
    query = select(PasskeyCredential).where(col(PasskeyCredential.credential_id) == credential_id)
    if user is not None:
        query = query.where(col(PasskeyCredential.user_id) == user.id)
    stored = session.exec(query).first()
    if stored is None:
        return _refuse(session, None, "unknown credential", ip, user_agent)
    response = credential.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    # A discoverable credential names its account; it must be the credential's own.
    if handle not in (None, "", stored.user_handle):
        return _refuse(session, stored, "user handle does not match", ip, user_agent)
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(row.challenge),
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            credential_public_key=stored.public_key,
            # 0 keeps the library from judging the counter: we judge it below, and log it.
            credential_current_sign_count=0,
            require_user_verification=require_user_verification,
        )
    except _MALFORMED as error:
        return _refuse(session, stored, f"assertion refused: {error}"[:200], ip, user_agent)
    received = verified.new_sign_count
    if not passkeys.sign_count_acceptable(received=received, stored=stored.sign_count):
        logger.warning(
            "passkey %s of user %s: sign count %s after %s, %s",
            stored.id,
            stored.user_id,
            received,
            stored.sign_count,
            CLONE_SUSPECTED,
        )
        detail = f"passkey {stored.id}: {CLONE_SUSPECTED} ({stored.sign_count} -> {received})"
        return _refuse(session, stored, detail, ip, user_agent)
    stored.sign_count = received
    stored.backup_state = verified.credential_backed_up
    stored.last_used_at = now
    session.add(stored)
    session.flush()
    return stored
