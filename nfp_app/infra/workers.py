"""Bounded thread pools for password hashing, so a flood of one kind cannot starve the other.

bcrypt is slow on purpose and releases the GIL. Sign-ins get a pool of their own; signups
and other hashing share a smaller one, which always leaves sign-ins at least one core.
Everything else that blocks runs in the event loop's default executor.

Hashing threads also run at a lower CPU priority (Linux: a thread has its own nice value), so
that when every core is hashing, the event loops still get the CPU first: other users' events
and health checks stay quick during a sign-in storm, and the hashes take the time left over.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from nfp_app.infra.settings import get_settings


def _threads() -> int:
    return get_settings().hashing_threads or os.cpu_count() or 1


# Added to a hashing thread's nice value; the event loop's thread keeps its own.
HASHING_NICENESS = 10


def _lower_priority() -> None:
    """Run this pool thread at a lower priority than the event loop's thread."""
    if sys.platform != "linux":
        return  # elsewhere setpriority(PRIO_PROCESS, tid) would renice the whole process
    thread_id = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, thread_id)
        os.setpriority(os.PRIO_PROCESS, thread_id, min(19, current + HASHING_NICENESS))
    except OSError:
        pass  # a sandbox may refuse it; hashing then simply competes as before


@functools.cache
def sign_in_pool() -> ThreadPoolExecutor:
    """Threads for checking passwords at sign-in: one per core."""
    return ThreadPoolExecutor(
        max_workers=_threads(), thread_name_prefix="nfp-sign-in", initializer=_lower_priority
    )


@functools.cache
def hashing_pool() -> ThreadPoolExecutor:
    """Threads for new hashes (signups, password changes): one fewer than sign-ins get."""
    return ThreadPoolExecutor(
        max_workers=max(1, _threads() - 1),
        thread_name_prefix="nfp-hash",
        initializer=_lower_priority,
    )
