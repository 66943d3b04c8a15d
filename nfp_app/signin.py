"""Signing in: check the credentials and open a session, in one transaction."""

from __future__ import annotations

from sqlmodel import Session

from nfp_app import accounts, sessions
from nfp_app.models import User


def sign_in(
    *,
    session: Session,
    username: str,
    password: str,
    persistent: bool,
    user_agent: str = "",
    ip: str = "",
) -> tuple[User, sessions.StartedSession] | None:
    """The user and their new session, or None for any wrong username or password."""
    user = accounts.authenticate(session=session, username=username, password=password)
    if user is None:
        return None
    started = sessions.start(
        session=session, user=user, persistent=persistent, user_agent=user_agent, ip=ip
    )
    return user, started
