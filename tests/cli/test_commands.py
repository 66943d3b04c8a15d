"""Every operator command, run as `python -m nfp_app ...` on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from nfp_app.infra import db
from nfp_app.models import User
from nfp_app.security import passwords
from nfp_app.services import accounts, demo_users
from tests.support.accounts import PASSWORD
from tests.support.cli import (
    CONFIG,
    NOT_FOUND,
    OK,
    REFUSED,
    USAGE,
    WHY,
    Cli,
    find_user,
    live_sessions,
    sign_in,
)

pytestmark = [pytest.mark.cli]


def test_create_user_and_admin(cli: Cli, engine: sa.Engine) -> None:
    run = cli("create-user", "alice", "--email", "alice@example.com")
    assert run.code == OK, run.err
    assert "Created user 'alice'" in run.out
    assert cli("create-admin", "root").code == OK
    alice, root = find_user(engine, "alice"), find_user(engine, "root")
    assert alice is not None
    assert root is not None
    assert (alice.is_admin, root.is_admin, alice.email) == (False, True, "alice@example.com")
    assert passwords.verify_password(PASSWORD, root.hashed_password, rounds=4)[0]


def test_create_refusals(cli: Cli) -> None:
    assert cli("create-user", "alice").code == OK
    taken = cli("create-user", "ALICE")
    assert (taken.code, "already taken" in taken.err) == (REFUSED, True)
    bad_name = cli("create-user", "a b")
    assert (bad_name.code, "Username may contain only" in bad_name.err) == (REFUSED, True)
    short = cli("create-user", "bob", password="short")
    assert (short.code, "at least 12 characters" in short.err) == (REFUSED, True)
    assert cli("create-user").code == USAGE


def test_password_is_prompted_twice_without_env(cli: Cli, engine: sa.Engine) -> None:
    run = cli("create-user", "carol", password=None, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert run.code == OK, run.err
    assert PASSWORD not in run.out + run.err
    assert find_user(engine, "carol") is not None
    mismatch = cli("create-user", "dave", password=None, stdin="one-password\nanother-one\n")
    assert mismatch.code != OK
    assert find_user(engine, "dave") is None


def test_no_password_option(cli: Cli) -> None:
    # Passwords never go on the command line, where `ps` and shell history would show them.
    assert cli("create-user", "erin", "--password", PASSWORD).code == USAGE


def test_set_password_ends_sessions(cli: Cli, engine: sa.Engine) -> None:
    assert cli("create-user", "alice").code == OK
    alice = find_user(engine, "alice")
    assert alice is not None
    assert alice.id is not None
    sign_in(engine, alice)
    run = cli("set-password", "Alice", password="a new passphrase")
    assert run.code == OK, run.err
    changed = find_user(engine, "alice")
    assert changed is not None
    assert passwords.verify_password("a new passphrase", changed.hashed_password, rounds=4)[0]
    assert changed.password_changed_at > alice.password_changed_at
    assert live_sessions(engine, alice.id) == 0
    assert cli("set-password", "alice", password="short").code == REFUSED
    assert cli("set-password", "nobody").code == NOT_FOUND


def test_disable_and_enable(cli: Cli, engine: sa.Engine) -> None:
    assert cli("create-user", "alice").code == OK
    alice = find_user(engine, "alice")
    assert alice is not None
    assert alice.id is not None
    sign_in(engine, alice)
    assert cli("disable", "alice", *WHY).code == OK
    disabled = find_user(engine, "alice")
    assert disabled is not None
    assert disabled.is_active is False
    assert live_sessions(engine, alice.id) == 0
    assert cli("enable", "alice", *WHY).code == OK
    enabled = find_user(engine, "alice")
    assert enabled is not None
    assert enabled.is_active is True
    assert cli("disable", "nobody", *WHY).code == NOT_FOUND
    assert cli("enable", "nobody", *WHY).code == NOT_FOUND


def test_promote_and_demote(cli: Cli, engine: sa.Engine) -> None:
    assert cli("create-admin", "root").code == OK
    assert cli("create-user", "alice").code == OK
    assert cli("promote", "alice", *WHY).code == OK
    promoted = find_user(engine, "alice")
    assert promoted is not None
    assert promoted.is_admin
    assert cli("demote", "alice", *WHY).code == OK
    demoted = find_user(engine, "alice")
    assert demoted is not None
    assert not demoted.is_admin
    last = cli("demote", "root", *WHY)
    assert (last.code, "no active administrator" in last.err) == (REFUSED, True)
    assert cli("disable", "root", *WHY).code == REFUSED
    assert cli("promote", "nobody", *WHY).code == NOT_FOUND
    assert cli("demote", "nobody", *WHY).code == NOT_FOUND


def test_delete(cli: Cli, engine: sa.Engine) -> None:
    assert cli("create-admin", "root").code == OK
    assert cli("create-user", "alice").code == OK
    alice = find_user(engine, "alice")
    assert alice is not None
    sign_in(engine, alice)
    assert cli("delete", "alice", stdin="n\n").code == REFUSED
    assert find_user(engine, "alice") is not None
    assert cli("delete", "alice", stdin="y\n").code == OK
    assert find_user(engine, "alice") is None
    assert cli("delete", "root", "--yes").code == REFUSED
    assert cli("delete", "nobody", "--yes").code == NOT_FOUND


def test_revoke_sessions(cli: Cli, engine: sa.Engine) -> None:
    assert cli("create-user", "alice").code == OK
    alice = find_user(engine, "alice")
    assert alice is not None
    assert alice.id is not None
    sign_in(engine, alice)
    sign_in(engine, alice)
    assert live_sessions(engine, alice.id) == 2
    run = cli("revoke-sessions", "alice", *WHY)
    assert run.code == OK, run.err
    assert live_sessions(engine, alice.id) == 0
    assert cli("revoke-sessions", "nobody", *WHY).code == NOT_FOUND


def test_list_users_prints_a_table(cli: Cli) -> None:
    assert cli("create-admin", "root", "--email", "root@example.com").code == OK
    assert cli("create-user", "alice").code == OK
    run = cli("list-users")
    assert run.code == OK, run.err
    header = next(line for line in run.out.splitlines() if "username" in line)
    assert all(column in header for column in ("id", "email", "active", "admin", "last login"))
    assert "root@example.com" in run.out
    assert "alice" in run.out
    assert "2 of 2 users shown." in run.out
    page = cli("list-users", "--offset", "1", "--limit", "1")
    assert "alice" in page.out
    assert "root" not in page.out.replace("root@", "")
    assert "1 of 2 users shown." in page.out
    assert cli("list-users", "--limit", "0").code == USAGE
    assert "$" not in run.out, "no hash is ever printed"


def test_every_command_has_help(cli: Cli) -> None:
    commands = [
        "create-user",
        "create-admin",
        "set-password",
        "disable",
        "enable",
        "promote",
        "demote",
        "delete",
        "list-users",
        "revoke-sessions",
        "seed-demo",
    ]
    run = cli("--help")
    assert run.code == OK
    for command in commands:
        assert command in run.out
        assert cli(command, "--help").code == OK


def test_short_secret_is_refused(cli: Cli) -> None:
    run = cli("list-users", SECRET_KEY="too-short")
    assert (run.code, "SECRET_KEY must be at least" in run.err) == (CONFIG, True)


def test_unmigrated_database_is_a_clear_error(cli: Cli, tmp_path: object) -> None:
    run = cli("list-users", DATABASE_URL=f"sqlite:///{tmp_path}/empty.db")
    assert run.code == CONFIG
    assert "database problem" in run.err
    assert "Traceback" not in run.err


def _all_users(engine: sa.Engine) -> list[User]:
    with Session(engine) as session:
        return list(session.exec(select(User).order_by(col(User.id))).all())


def test_seed_demo_adds_accounts_like_signup_does(cli: Cli, engine: sa.Engine) -> None:
    assert cli("create-admin", "root", "--email", "root@example.com").code == OK
    root_before = find_user(engine, "root")
    run = cli("seed-demo", "--users", "200")
    assert run.code == OK, run.err
    assert "Added 200 demo users, demo_0000001 to demo_0000200" in run.out
    assert repr(demo_users.DEMO_PASSWORD) in run.out
    assert "seeded 200/200 users" in run.err, "not a terminal: progress comes as lines"
    users = _all_users(engine)
    assert users[0] == root_before, "existing accounts are not touched"
    demo = users[1:]
    assert [user.username for user in demo] == [f"demo_{n:07d}" for n in range(1, 201)]
    assert all(user.username_key == user.username for user in demo)
    assert len({user.hashed_password for user in demo}) == 1, "one hash, computed once"
    assert {user.is_active for user in demo} == {True, False}
    assert [user.username for user in demo if user.is_admin] == ["demo_0000001"]
    with_email = [user for user in demo if user.email]
    assert 0 < len(with_email) < len(demo)
    assert {user.email_verified_at is None for user in with_email} == {True, False}
    assert all(user.email_verified_at is None for user in demo if not user.email)
    assert len({user.created_at.date() for user in demo}) > 100, "spread over the year"
    disabled = next(user for user in demo if not user.is_active)
    active = next(user for user in demo if user.is_active and not user.is_admin)
    with db.session_scope(engine) as session:
        signed_in = accounts.authenticate(
            session=session, username=active.username.upper(), password=demo_users.DEMO_PASSWORD
        )
        assert signed_in is not None
        assert signed_in.id == active.id
        refused = accounts.authenticate(
            session=session, username=disabled.username, password=demo_users.DEMO_PASSWORD
        )
        assert refused is None
        taken = cli("create-user", active.username.upper())
        assert (taken.code, "already taken" in taken.err) == (REFUSED, True)


def test_seed_demo_continues_after_the_highest_demo_name(cli: Cli, engine: sa.Engine) -> None:
    assert cli("seed-demo", "--users", "3").code == OK
    # A hand-made look-alike is an ordinary account, not part of the numbering.
    assert cli("create-user", "demo_12x4567").code == OK
    again = cli("seed-demo", "--users", "2")
    assert again.code == OK, again.err
    assert "demo_0000004 to demo_0000005" in again.out
    names = [user.username for user in _all_users(engine)]
    assert names == [f"demo_{n:07d}" for n in (1, 2, 3)] + ["demo_12x4567"] + [
        "demo_0000004",
        "demo_0000005",
    ]


def test_seed_demo_is_refused_in_production(cli: Cli, engine: sa.Engine) -> None:
    run = cli("seed-demo", "--users", "5", REFLEX_ENV_MODE="prod")
    assert (run.code, "refused in production" in run.err) == (REFUSED, True)
    assert cli("seed-demo", "--users", "0").code == USAGE
    assert _all_users(engine) == []
