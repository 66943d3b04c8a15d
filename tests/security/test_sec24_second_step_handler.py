"""SEC-24: the /login/verify handler redeems only the pending step of the caller's own tab.

A raw client that never passed the password step, or that passed it for its own account,
sends the right code of another account (with that account's challenge token in every place a
client can put it): no session opens, no cookie is handed over, and the code stays unused.
"""

from __future__ import annotations

import time

import pytest
import reflex as rx
import sqlalchemy as sa
from sqlmodel import Session, col, select

import nfp_app.nfp_app  # noqa: F401  (registers every state of the app)
from nfp_app import routes
from nfp_app.infra import db
from nfp_app.models import AuthSession, MfaChallenge, TotpCredential, utcnow
from nfp_app.services import accounts, mfa_challenges, mfa_signin, signin
from nfp_app.state.login import LoginState
from nfp_app.state.login_verify import LoginVerifyState
from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp
from tests.support.mfa import Enrolled
from tests.support.overrides import Override
from tests.support.reflex_socket import ReflexSocket, handler, reflex_socket
from tests.support.two_factor_ui import enrolled_user, user_id

pytestmark = [pytest.mark.security, pytest.mark.postgres]

VERIFY = routes.LOGIN_VERIFY


def _enrolled(app: LiveApp, override: Override, prefix: str) -> tuple[int, Enrolled]:
    username = unique_name(prefix)
    enrolled = enrolled_user(app, override, username)
    return user_id(app, username), enrolled


def _username(engine: sa.Engine, user_id: int) -> str:
    with Session(engine) as session:
        user = accounts.get_user(session=session, user_id=user_id)
        assert user is not None
        return user.username


def _state_of(engine: sa.Engine, user_id: int) -> tuple[int, int | None]:
    """The account's sessions, and the newest TOTP step it has used."""
    with Session(engine) as session:
        opened = session.exec(select(AuthSession).where(col(AuthSession.user_id) == user_id))
        credential = session.exec(
            select(TotpCredential).where(col(TotpCredential.user_id) == user_id)
        ).one()
        return len(opened.all()), credential.last_used_step


def _victim_challenge(engine: sa.Engine, user_id: int) -> str:
    """A live browser challenge of the victim's, as its own password step would leave it."""
    with db.session_scope(engine) as session:
        user = accounts.get_user(session=session, user_id=user_id)
        assert user is not None
        return mfa_challenges.issue(
            session=session, user=user, channel="browser", persistent=True, now=utcnow()
        )


def _aim_at(socket: ReflexSocket, challenge: str, code: str) -> None:
    """Send the victim's code with its challenge wherever a client could put it."""
    for var in ("_mfa_challenge", "challenge"):
        socket.send(
            handler(LoginState, "setvar"), {"var_name": var, "value": challenge}, path=VERIFY
        )
    form = {"code": code, "challenge": challenge, "_mfa_challenge": challenge}
    submit = handler(LoginVerifyState, "submit")
    socket.send(submit, {"form_data": form}, path=VERIFY)
    socket.send(submit, {"form_data": form, "challenge": challenge}, path=VERIFY)
    socket.send(handler(LoginVerifyState, "switch_mode"), path=VERIFY)
    socket.send(submit, {"form_data": {**form, "recovery_code": code}}, path=VERIFY)
    assert socket.sync(), "the server closed the connection"


def _nothing_handed_over(socket: ReflexSocket) -> None:
    assert not [url for url in socket.delta_values("handoff_url") if url], socket.text()[-2000:]
    assert True not in socket.delta_values("is_authenticated")


def _still_redeemable(engine: sa.Engine, challenge: str, code: str) -> None:
    """The victim's own step still takes that very code: nothing used it up."""
    with db.session_scope(engine) as session:
        result = mfa_signin.complete_sign_in(
            session=session, challenge=challenge, code=code, binding="b" * 43
        )
    assert isinstance(result, signin.SignedIn), result


def test_sec24_no_pending_step_gets_nothing(live_app: LiveApp, override: Override) -> None:
    """A tab that never passed the password step cannot use anyone's challenge or code."""
    engine = db.engine_for(live_app.database_url)
    victim, enrolled = _enrolled(live_app, override, "vic24")
    challenge = _victim_challenge(engine, victim)
    code = enrolled.code()
    before = _state_of(engine, victim)
    with reflex_socket(live_app) as socket:
        socket.send(handler(rx.State, "hydrate"), path=VERIFY)
        _aim_at(socket, challenge, code)
        # The positive signal: the handler ran and sent this tab back to the password step.
        assert routes.login_with_notice("verify-expired") in socket.redirects()
        _nothing_handed_over(socket)
    assert _state_of(engine, victim) == before == (0, before[1])
    _still_redeemable(engine, challenge, code)


def test_sec24_own_step_does_not_open_another_account(
    live_app: LiveApp, override: Override
) -> None:
    """Past the password step for its own account, a tab sending another's code is refused."""
    engine = db.engine_for(live_app.database_url)
    victim, enrolled = _enrolled(live_app, override, "vic24")
    attacker, _ = _enrolled(live_app, override, "att24")
    challenge = _victim_challenge(engine, victim)
    code = enrolled.code()
    before = _state_of(engine, victim), _state_of(engine, attacker)
    with reflex_socket(live_app) as socket:
        form = {"username": _username(engine, attacker), "password": PASSWORD}
        socket.send(handler(rx.State, "hydrate"), path=routes.LOGIN)
        socket.send(handler(LoginState, "submit"), {"form_data": form}, path=routes.LOGIN)
        deadline = time.monotonic() + 15
        while VERIFY not in socket.redirects():
            assert time.monotonic() < deadline, socket.text()[-2000:]
            time.sleep(0.05)
        socket.send(handler(rx.State, "hydrate"), path=VERIFY)
        _aim_at(socket, challenge, code)
        # The positive signal: the attacker's own step counted the victim's code as wrong.
        assert "Incorrect code. 4 attempts left." in socket.text()
        _nothing_handed_over(socket)
    assert (_state_of(engine, victim), _state_of(engine, attacker)) == before
    with Session(engine) as session:
        rows = session.exec(select(MfaChallenge).where(col(MfaChallenge.user_id) == victim))
        assert [(row.failures, row.used_at) for row in rows.all()] == [(0, None)]
    _still_redeemable(engine, challenge, code)
