"""A PostgreSQL cluster of a test's own, which the test may stop and start at will.

Like scripts/_services.sh: initdb as the `postgres` user (it refuses root) into a temporary
folder, then pg_ctl on a fixed loopback port, so the URL stays valid across restarts.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.prod_app import free_port

OWNER = "postgres"


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's bin folder (/usr/lib/postgresql/<version>/bin)."""
    found = [path for path in Path("/usr/lib/postgresql").glob("*/bin") if path.is_dir()]
    numbered = [path for path in found if path.parent.name.isdigit()]
    if not numbered:
        raise RuntimeError("no PostgreSQL server under /usr/lib/postgresql/*/bin")
    return max(numbered, key=lambda path: int(path.parent.name))


def _as_owner(*command: str) -> None:
    subprocess.run(
        ["runuser", "-u", OWNER, "--", *command], check=True, capture_output=True, timeout=120
    )


class PostgresServer:
    """One throwaway cluster: its URL, and start, stop and restart."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.sockets = root / "sockets"
        self.port = free_port()
        self._bin = postgres_bin()

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the cluster's `postgres` database."""
        return f"postgresql+psycopg2://{OWNER}@127.0.0.1:{self.port}/postgres"

    def init(self) -> None:
        """Create the cluster's files (trust authentication on loopback only)."""
        for folder in (self.data, self.sockets):
            folder.mkdir()
            shutil.chown(folder, OWNER)
        # UTF8 whatever the machine's locale (scripts/_services.sh says why).
        _as_owner(
            str(self._bin / "initdb"),
            *("-D", str(self.data), "-A", "trust", "-U", OWNER),
            *("--encoding=UTF8", "--no-locale"),
        )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c max_connections=200"
        )
        log = str(self.data / "server.log")
        _as_owner(
            str(self._bin / "pg_ctl"), "-D", str(self.data), "-l", log, "-w", "-o", options, "start"
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`fast` ends every session, as an operator's restart does)."""
        _as_owner(str(self._bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        """Whether pg_ctl sees a running server."""
        status = subprocess.run(
            [
                "runuser",
                "-u",
                OWNER,
                "--",
                str(self._bin / "pg_ctl"),
                "-D",
                str(self.data),
                "status",
            ],
            capture_output=True,
            check=False,
            timeout=30,
        )
        return status.returncode == 0


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A started cluster of one's own, removed when the block ends."""
    # pytest's tmp_path is private to root; the postgres user must reach the folder.
    root = Path(tempfile.mkdtemp(prefix="nfp-pg-"))
    root.chmod(0o755)
    server = PostgresServer(root)
    try:
        server.init()
        server.start()
        yield server
    finally:
        if server.data.exists() and server.is_running():
            server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
