"""Two-factor helpers for tests: turn 2FA on for an account, compute its codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from nfp_app.infra import db
from nfp_app.models import utcnow
from nfp_app.security import totp
from nfp_app.services import mfa_enrolment


@dataclass(frozen=True)
class Enrolled:
    """The secret an authenticator app would hold, and the recovery codes shown once."""

    secret: str
    recovery_codes: list[str]

    def code(self, offset: int = 0) -> str:
        """The code of the current time step (or `offset` steps away)."""
        return totp.code_at(self.secret, totp.step_at(utcnow()) + offset)


def enable_mfa(engine: sa.Engine, user_id: int, password: str) -> Enrolled:
    """Turn 2FA on with the services; the confirming code is the previous step's, so the
    current one is still unused. The settings' SECRET_KEY must be the app's."""
    with db.session_scope(engine) as session:
        started = mfa_enrolment.start_enrolment(session=session, user_id=user_id, password=password)
    earlier = utcnow() - dt.timedelta(seconds=totp.STEP_SECONDS)
    with db.session_scope(engine) as session:
        codes = mfa_enrolment.confirm_enrolment(
            session=session,
            user_id=user_id,
            code=totp.code_at(started.secret, totp.step_at(earlier)),
            now=earlier,
        )
    return Enrolled(secret=started.secret, recovery_codes=codes)
