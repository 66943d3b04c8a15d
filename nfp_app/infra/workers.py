"""Bounded thread pools for password hashing, so a flood of one kind cannot starve the other.

bcrypt is slow on purpose and releases the GIL. Sign-ins get a pool of their own; signups
and other hashing share a smaller one, which always leaves sign-ins at least one core.
Everything else that blocks runs in the event loop's default executor.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor

from nfp_app.infra.settings import get_settings


def _threads() -> int:
    return get_settings().hashing_threads or os.cpu_count() or 1


@functools.cache
def sign_in_pool() -> ThreadPoolExecutor:
    """Threads for checking passwords at sign-in: one per core."""
    return ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="nfp-sign-in")


@functools.cache
def hashing_pool() -> ThreadPoolExecutor:
    """Threads for new hashes (signups, password changes): one fewer than sign-ins get."""
    return ThreadPoolExecutor(max_workers=max(1, _threads() - 1), thread_name_prefix="nfp-hash")
