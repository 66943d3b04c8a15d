"""Database tables (one module per concept) and the public shapes derived from them."""

from nfp_app.models.accounts import User, UserPublic
from nfp_app.models.auth import AuthEvent, AuthSession, ThrottleHit
from nfp_app.models.base import MAX_ROW_ID, UTCDateTime, clip, max_length, utcnow
from nfp_app.models.mail import MailMessage
from nfp_app.models.mfa import MfaChallenge, RecoveryCode, TotpCredential
from nfp_app.models.notes import Note
from nfp_app.models.overview import SignInDay
from nfp_app.models.passkeys import PasskeyCredential, WebauthnChallenge
from nfp_app.models.tokens import ActionToken

__all__ = [
    "MAX_ROW_ID",
    "ActionToken",
    "AuthEvent",
    "AuthSession",
    "MailMessage",
    "MfaChallenge",
    "Note",
    "PasskeyCredential",
    "RecoveryCode",
    "SignInDay",
    "ThrottleHit",
    "TotpCredential",
    "UTCDateTime",
    "User",
    "UserPublic",
    "WebauthnChallenge",
    "clip",
    "max_length",
    "utcnow",
]
