"""The administrators' commands with a reason (status changes, delete) and the searchable,
keyset-paged `list-users`, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from nfp_app.models import AuthEvent
from nfp_app.services.admin_actions import REASON_MAX_LENGTH
from tests.support.cli import NOT_FOUND, OK, REFUSED, USAGE, Cli, find_user, live_sessions, sign_in

pytestmark = [pytest.mark.cli]

REASON = "ticket 7: owner asked"
_CURSOR = re.compile(r"^Next page: --cursor (\S+)$", re.MULTILINE)


def _events(engine: sa.Engine, username: str) -> list[AuthEvent]:
    with Session(engine) as session:
        statement = select(AuthEvent).where(col(AuthEvent.username) == username)
        return list(session.exec(statement.order_by(col(AuthEvent.id))).all())


def _made(cli: Cli, *names: str, admin: str = "root") -> None:
    assert cli("create-admin", admin, "--email", f"{admin}@example.com").code == OK
    for name in names:
        assert cli("create-user", name, "--email", f"{name.upper()}@Example.com").code == OK


def test_status_commands_record_the_reason(cli: Cli, engine: sa.Engine) -> None:
    _made(cli, "alice")
    for command in ("disable", "enable", "promote", "demote", "revoke-sessions"):
        run = cli(command, "alice", "--reason", REASON)
        assert run.code == OK, run.err
    rows = _events(engine, "alice")[1:]  # after the signup
    assert [row.event for row in rows] == [
        "user_disable",
        "user_enable",
        "user_promote",
        "user_demote",
        "sessions_revoke",
    ]
    for row in rows:
        assert row.detail.startswith(f"reason: {REASON} by cli")


def test_revoke_sessions_ends_them(cli: Cli, engine: sa.Engine) -> None:
    _made(cli, "alice")
    alice = find_user(engine, "alice")
    assert alice is not None
    assert alice.id is not None
    sign_in(engine, alice)
    run = cli("revoke-sessions", "alice", "--reason", REASON)
    assert "Ended all sessions of 'alice'." in run.out
    assert live_sessions(engine, alice.id) == 0


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("   ", "Give a reason"),
        ("x" * (REASON_MAX_LENGTH + 1), f"under {REASON_MAX_LENGTH + 1} characters"),
        ("bell\x07here", "only printable text"),
    ],
    ids=["blank", "too-long", "control"],
)
def test_a_bad_reason_is_refused(cli: Cli, engine: sa.Engine, reason: str, message: str) -> None:
    _made(cli, "alice")
    for command in ("disable", "revoke-sessions"):
        run = cli(command, "alice", "--reason", reason)
        assert run.code == REFUSED
        assert message in run.err
    assert cli("delete", "alice", "--yes", "--reason", reason).code == REFUSED
    alice = find_user(engine, "alice")
    assert alice is not None
    assert alice.is_active
    assert [row.event for row in _events(engine, "alice")] == ["signup"]


def test_the_reason_is_required(cli: Cli) -> None:
    _made(cli, "alice")
    for command in ("disable", "enable", "promote", "demote", "revoke-sessions"):
        run = cli(command, "alice")
        assert run.code == USAGE
        assert "--reason" in run.err
    assert cli("disable", "nobody", "--reason", REASON).code == NOT_FOUND


def test_the_last_admin_is_refused_clearly(cli: Cli, engine: sa.Engine) -> None:
    _made(cli, "alice")
    for command in ("demote", "disable"):
        run = cli(command, "root", "--reason", REASON)
        assert run.code == REFUSED
        assert "no active administrator" in run.err
    refused = cli("delete", "root", "--yes", "--reason", REASON)
    assert refused.code == REFUSED
    root = find_user(engine, "root")
    assert root is not None
    assert (root.is_active, root.is_admin) == (True, True)


def test_delete_records_the_reason(cli: Cli, engine: sa.Engine) -> None:
    _made(cli, "alice")
    run = cli("delete", "alice", "--yes", "--reason", REASON)
    assert run.code == OK, run.err
    assert find_user(engine, "alice") is None
    last = _events(engine, "alice")[-1]
    assert last.event == "user_delete"
    assert last.detail.startswith(f"reason: {REASON} by cli")


def _names(output: str) -> list[str]:
    """The usernames in a printed table, top to bottom."""
    return re.findall(r"^│ \d+\s+│ (\S+)", output, re.MULTILINE)


def test_list_users_searches_and_filters(cli: Cli) -> None:
    _made(cli, "alice", "alina", "bob")
    assert cli("disable", "alina", "--reason", REASON).code == OK
    found = cli("list-users", "--search", "AL")
    assert found.code == OK, found.err
    assert _names(found.out) == ["alice", "alina"]
    assert "2 of 2 users shown." in found.out
    # Email prefixes count too, in any case: BOB@Example.com.
    assert _names(cli("list-users", "--search", "bob@ex").out) == ["bob"]
    assert _names(cli("list-users", "--search", "al", "--active").out) == ["alice"]
    assert _names(cli("list-users", "--disabled").out) == ["alina"]
    assert _names(cli("list-users", "--admins").out) == ["root"]
    assert _names(cli("list-users", "--users", "--sort", "-created").out) == [
        "bob",
        "alina",
        "alice",
    ]
    nothing = cli("list-users", "--search", "zz")
    assert (nothing.code, _names(nothing.out)) == (OK, [])
    assert "0 of 0 users shown." in nothing.out


def test_list_users_pages_by_cursor(cli: Cli) -> None:
    _made(cli, "alice", "bob", "carol")
    seen: list[str] = []
    arguments = ["list-users", "--limit", "2", "--sort", "-last_sign_in"]
    for _ in range(4):
        run = cli(*arguments)
        assert run.code == OK, run.err
        seen += _names(run.out)
        cursor = _CURSOR.search(run.out)
        if cursor is None:
            break
        arguments = [*arguments[:5], "--cursor", cursor.group(1)]
    # Nobody signed in: newest sign-in first puts them all last, newest account first.
    assert seen == ["carol", "bob", "alice", "root"]


def test_list_users_refuses_cursor_with_offset(cli: Cli) -> None:
    _made(cli, "alice")
    both = cli("list-users", "--cursor", "abc", "--offset", "1")
    assert both.code == USAGE
    assert "either --cursor or --offset" in both.err
    bad = cli("list-users", "--cursor", "not-a-cursor")
    assert bad.code == USAGE
    assert "Invalid cursor" in bad.err
    assert cli("list-users", "--sort", "name").code == USAGE
    assert cli("list-users", "--search", "x" * 255).code == USAGE
    offset = cli("list-users", "--offset", "1", "--limit", "1")
    assert _names(offset.out) == ["alice"]
    assert "Next page" not in offset.out
