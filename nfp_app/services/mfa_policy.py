"""MFA_REQUIRED_FOR_ADMINS: whether an account must enrol in 2FA before it may go on."""

from __future__ import annotations

from sqlmodel import Session

from nfp_app.infra.settings import get_settings
from nfp_app.models import User
from nfp_app.services import mfa_store

# The REST admin routes' 403 detail, and the /account notice that explains it.
ENROLMENT_REQUIRED = "mfa_enrolment_required"


def enrolment_due(session: Session, user: User) -> bool:
    """Whether the policy holds this account back: an administrator without 2FA."""
    if not get_settings().mfa_required_for_admins or not user.is_admin:
        return False
    return not mfa_store.is_enabled(session, user)


def enrolment_due_by_id(*, session: Session, user_id: int) -> bool:
    """`enrolment_due` for an account named by id (False when it is gone)."""
    user = session.get(User, user_id)
    return user is not None and enrolment_due(session, user)
