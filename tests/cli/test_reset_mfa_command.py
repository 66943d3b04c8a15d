"""`python -m nfp_app reset-mfa NAME --reason R`: an operator turns a user's 2FA off."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from nfp_app.models import AuthEvent, MailMessage
from nfp_app.services import mfa_store
from tests.support.accounts import PASSWORD
from tests.support.cli import NOT_FOUND, OK, REFUSED, USAGE, Cli, find_user
from tests.support.mfa import enable_mfa

pytestmark = [pytest.mark.cli]

REASON = "ticket 9: phone lost"


def _alice_with_2fa(cli: Cli, engine: sa.Engine) -> int:
    assert cli("create-admin", "root").code == OK
    assert cli("create-user", "alice", "--email", "alice@example.com").code == OK
    alice = find_user(engine, "alice")
    assert alice is not None
    assert alice.id is not None
    # The CLI runs with this process's SECRET_KEY (tests/conftest.py), so it opens the secret.
    enable_mfa(engine, alice.id, PASSWORD)
    return alice.id


def _mfa_on(engine: sa.Engine, name: str) -> bool:
    user = find_user(engine, name)
    assert user is not None
    with Session(engine) as session:
        return mfa_store.is_enabled(session, user)


def test_reset_mfa_turns_it_off_with_the_reason_and_mails(cli: Cli, engine: sa.Engine) -> None:
    _alice_with_2fa(cli, engine)
    assert _mfa_on(engine, "alice")
    run = cli("reset-mfa", "alice", "--reason", REASON)
    assert run.code == OK, run.err
    assert "Reset two-factor authentication of 'alice'." in run.out
    assert not _mfa_on(engine, "alice")
    with Session(engine) as session:
        statement = select(AuthEvent).where(col(AuthEvent.username) == "alice")
        last = session.exec(statement.order_by(col(AuthEvent.id).desc())).first()
        assert last is not None
        assert (last.event, last.outcome) == ("mfa_reset", "success")
        assert last.detail.startswith(f"reason: {REASON} by cli:")
        mail = session.exec(
            select(MailMessage).where(col(MailMessage.to_address) == "alice@example.com")
        ).all()
        assert any("turned off" in message.subject for message in mail)
        assert any("by an administrator" in message.text_body for message in mail)


def test_reset_mfa_without_2fa_is_refused(cli: Cli, engine: sa.Engine) -> None:
    _alice_with_2fa(cli, engine)
    assert cli("reset-mfa", "alice", "--reason", REASON).code == OK
    again = cli("reset-mfa", "alice", "--reason", REASON)
    assert again.code == REFUSED
    assert again.err.strip()


def test_reset_mfa_needs_a_reason_and_a_user(cli: Cli, engine: sa.Engine) -> None:
    _alice_with_2fa(cli, engine)
    run = cli("reset-mfa", "alice")
    assert run.code == USAGE
    assert "--reason" in run.err
    blank = cli("reset-mfa", "alice", "--reason", "  ")
    assert blank.code == REFUSED
    assert "Give a reason" in blank.err
    assert _mfa_on(engine, "alice")
    assert cli("reset-mfa", "nobody", "--reason", REASON).code == NOT_FOUND
