"""The pages' side of MFA_REQUIRED_FOR_ADMINS: is this signed-in user held at /account?"""

from __future__ import annotations

from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.models import User
from nfp_app.services import mfa_policy


async def enrolment_due(user: User) -> bool:
    """Whether the policy holds this user back (an administrator without 2FA)."""
    if not get_settings().mfa_required_for_admins or not user.is_admin or user.id is None:
        return False  # no query when the policy is off, as it is by default
    return await db.run(mfa_policy.enrolment_due_by_id, user_id=user.id)
