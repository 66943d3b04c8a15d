"""Passkeys in service-level tests: the test settings' origin, and registering the quick way."""

from __future__ import annotations

from sqlmodel import Session

from nfp_app.models import User, utcnow
from nfp_app.services import passkey_ceremonies, passkey_manage
from tests.support.soft_authenticator import SoftAuthenticator

# APP_URL's default, which the tests keep: the origin every ceremony must come from.
ORIGIN = "http://localhost:3000"


def register(
    session: Session, user: User, authenticator: SoftAuthenticator, name: str = "Laptop"
) -> passkey_manage.PasskeyView:
    """Add a passkey through both halves of the registration ceremony."""
    now = utcnow()
    ceremony = passkey_ceremonies.begin_registration(session=session, user=user, now=now)
    credential = authenticator.create(ceremony.options)
    view = passkey_ceremonies.finish_registration(
        session=session,
        user=user,
        handle=ceremony.handle,
        credential=credential,
        name=name,
        now=now,
        ip="127.0.0.1",
        user_agent="pytest",
    )
    session.commit()
    assert isinstance(view, passkey_manage.PasskeyView), view
    return view
