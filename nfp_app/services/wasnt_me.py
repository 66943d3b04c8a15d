""" "This wasn't me": the link in a new-device email ends every session and starts a reset."""

from __future__ import annotations

from sqlmodel import Session

from nfp_app.models import User
from nfp_app.services import action_tokens, audit, password_reset, session_ends


def report(*, session: Session, token: str, ip: str = "") -> User:
    """Use the link: sign out every session and token, and mail a password reset link."""
    found = action_tokens.consume(session=session, purpose="wasnt_me", token=token)
    if found is None:
        raise password_reset.InvalidLinkError()
    _row, user = found
    assert user.id is not None
    session_ends.revoke_all(session=session, user_id=user.id)
    password_reset.send_link(session=session, user=user)
    audit.record_change(session, "wasnt_me", user, ip=ip, note="all sessions ended")
    return user
