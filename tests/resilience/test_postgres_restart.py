"""PostgreSQL stops under load and starts again: the app says "try again soon", then recovers.

The test runs a PostgreSQL cluster of its own and the production app on it, with REST
sign-ins, REST signups and page sign-ins (websocket events) going on in threads. While the
database is down, REST answers 503 with Retry-After (never a 500) and the page shows the
"temporarily unavailable" notice; /readyz says 503 and /healthz stays 200. Once PostgreSQL
is back, the app answers successfully again within RECOVERY_LIMIT_SECONDS, and nothing was
lost: every account whose signup got 200 exists, can sign in and has its audit row, and the
tokens issued before the outage still work.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from nfp_app.infra import db
from nfp_app.models import AuthEvent, User
from tests.resilience.load import Load
from tests.support import recovery as recovery_times
from tests.support.accounts import PASSWORD, unique_name
from tests.support.api import Account, bearer, login, signup
from tests.support.databases import PostgresTemplate
from tests.support.live_app import LiveApp, start_live_app
from tests.support.mailbox import MAILBOX
from tests.support.postgres_server import PostgresServer, postgres_server

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

RECOVERY_LIMIT_SECONDS = 5.0
# The longest a probe may take with the database away: its timeout and some slack.
PROBE_LIMIT_SECONDS = 3.5
WAIT_SECONDS = 30.0
OUTAGE_SECONDS = 3.0
# Successes of each kind before the outage and after it: the load is really running.
STEADY_SUCCESSES = 10


def _wait(condition: Callable[[], bool], what: str, limit: float = WAIT_SECONDS) -> float:
    """Poll until the condition holds; the monotonic time it first did."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {limit} s")
        time.sleep(0.02)
    return time.monotonic()


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresServer]:
    """A PostgreSQL cluster of this module's own, to stop and start."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="module")
def app_on_cluster(
    cluster: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """The production app (backend only: REST and the websocket) on that cluster."""
    template = PostgresTemplate(cluster.url)
    try:
        with start_live_app(
            template,
            tmp_path_factory.mktemp("resilience"),
            backend_only=True,
            REFLEX_LOG_JSON="true",
            THROTTLE_IP_FAILURES="100000",
        ) as app:
            yield app
    finally:
        template.close()


def _print_counts(load: Load, recovery: dict[str, float], record: Callable[..., None]) -> None:
    print()  # after pytest's progress dot
    for name, tally in load.tallies.items():
        answered = dict(sorted(tally.answered.items()))
        print(f"{name}: sent {tally.sent}, answered {answered}, connection errors {tally.failed}")
        record(f"{name} sent", tally.sent)
        record(f"{name} answered", answered)
        record(f"{name} failed", tally.failed)
    for name, seconds in recovery.items():
        record(f"recovery seconds {name}", round(seconds, 3))
        recovery_times.record(f"`pg_ctl start` began → {name}", seconds)


def _check_nothing_lost(app: LiveApp, load: Load, tokens_before: list[str]) -> None:
    engine = db.engine_for(app.database_url)
    names = set(load.signed_up)
    with Session(engine) as session:
        users = session.exec(select(User).where(col(User.username).in_(names))).all()
        signups = session.exec(
            select(AuthEvent)
            .where(col(AuthEvent.event) == "signup")
            .where(col(AuthEvent.username).in_(names))
        ).all()
    assert {user.username for user in users} == names, "an account whose signup got 200 is lost"
    assert {row.username for row in signups} == names, "a signup's audit row is lost"
    with httpx.Client(base_url=app.base_url, timeout=30) as http:
        for token in tokens_before:
            assert http.get("/users/me/", headers=bearer(token)).status_code == 200
        for name in sorted(names):
            answer = http.post("/token", data={"username": name, "password": PASSWORD})
            assert answer.status_code == 200, f"{name} cannot sign in: {answer.text}"


def test_postgres_restart_under_load(
    cluster: PostgresServer,
    app_on_cluster: LiveApp,
    record_property: Callable[[str, object], None],
) -> None:
    app = app_on_cluster
    email = f"{unique_name('mail')}@mail.example"
    with httpx.Client(base_url=app.base_url, timeout=30) as http:
        account: Account = signup(http, unique_name("steady"))
        tokens_before = [login(http, account) for _ in range(3)]
        body = {"username": unique_name("mail"), "password": PASSWORD, "email": email}
        assert http.post("/users/", json=body).status_code == 200
    load = Load(app, account.username)
    load.start()
    recovery: dict[str, float] = {}
    try:
        kinds = list(load.tallies.values())
        _wait(lambda: all(t.answered[t.success] >= STEADY_SUCCESSES for t in kinds), "load")
        cluster.stop("fast")
        stopped = time.monotonic()
        _check_outage(app, load, stopped)
        # Keep it down a little longer, under load, as a real restart would.
        _wait(lambda: time.monotonic() - stopped >= OUTAGE_SECONDS, "the outage")
        # From the start command on: PostgreSQL's own startup counts against the limit too.
        back = time.monotonic()
        cluster.start()
        recovery = {"PostgreSQL startup": time.monotonic() - back}
        recovery |= _measure_recovery(app, load, back)
        _wait(
            lambda: all(t.count_after(back, t.success) >= STEADY_SUCCESSES for t in kinds),
            "the load resumed",
        )
    finally:
        load.finish()
        _print_counts(load, recovery, record_property)
    assert load.unexpected == [], load.unexpected
    assert max(recovery.values()) < RECOVERY_LIMIT_SECONDS, recovery
    _check_nothing_lost(app, load, tokens_before)
    _check_background_tasks(app, email)
    assert "Traceback" not in Path(app.log_path).read_text()


def _check_background_tasks(app: LiveApp, email: str) -> None:
    """The mail task noticed the outage, carried on, and delivers again."""
    assert "mail delivery skipped a round" in Path(app.log_path).read_text()
    with httpx.Client(base_url=app.base_url, timeout=30) as http:
        assert http.post("/password/forgot", json={"identifier": email}).status_code == 202
    MAILBOX.wait_for(email, "Reset your nfp_app password")


def _check_outage(app: LiveApp, load: Load, stopped: float) -> None:
    """During the outage: 503 with Retry-After on REST, the notice on pages, honest probes."""
    for name in ("POST /token", "POST /users/"):
        _wait(lambda n=name: load.tallies[n].first_after(stopped, "503") is not None, f"{name} 503")
    page = load.tallies["page sign-in"]
    _wait(lambda: page.first_after(stopped, "unavailable") is not None, "the page's notice")
    with httpx.Client(base_url=app.base_url, timeout=30) as http:
        assert http.get("/healthz").status_code == 200
        started = time.monotonic()
        ready = http.get("/readyz")
        assert time.monotonic() - started < PROBE_LIMIT_SECONDS
        assert ready.status_code == 503
        assert ready.headers["Retry-After"].isdigit()
        assert ready.json()["checks"]["database"] in ("failed", "timeout"), ready.json()


def _measure_recovery(app: LiveApp, load: Load, back: float) -> dict[str, float]:
    """Seconds from `pg_ctl start` to each kind's first success."""
    with httpx.Client(base_url=app.base_url, timeout=30) as http:
        ready_at = _wait(lambda: http.get("/readyz").status_code == 200, "/readyz 200")
    recovery = {"/readyz": ready_at - back}
    for name, tally in load.tallies.items():
        _wait(lambda t=tally: t.first_after(back, t.success) is not None, f"{name} ok")
        at = tally.first_after(back, tally.success)
        assert at is not None
        recovery[name] = at - back
    return recovery
