"""Graceful shutdown: how long the server lets requests in flight finish after SIGTERM."""

from __future__ import annotations

from typing import Any

import granian.server

# Reflex 0.10.1 builds its production server itself (reflex/utils/exec.py,
# run_granian_backend_prod), importing `granian.server.Server` at that moment and passing no
# `workers_kill_timeout`. Granian 2.8 then waits for busy workers forever. Checked against
# granian 2.8.9: on SIGTERM each worker stops accepting and finishes what it has started, and
# the supervisor kills the workers still busy after `workers_kill_timeout` seconds.
_GRANIAN_SERVER = granian.server.Server


def bound_worker_shutdown(seconds: int) -> None:
    """Make every Granian server built from now on kill workers still busy `seconds` after
    SIGTERM (idempotent; the last call wins)."""

    class BoundedShutdownServer(_GRANIAN_SERVER):  # pyright: ignore[reportGeneralTypeIssues]
        """Granian's server with a default limit on the graceful stop of its workers."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("workers_kill_timeout", seconds)
            super().__init__(*args, **kwargs)

    granian.server.Server = BoundedShutdownServer
