"""A backend's processes and their memory, sockets and limits, read from /proc."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(part) for part in task.read_text().split()]
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@dataclass(frozen=True)
class Tree:
    """The app's supervisor (the `reflex run` process running Granian) and its workers."""

    supervisor: int
    workers: list[int]


def process_tree(port: int, workers: int) -> Tree:
    """Find the app this process started on `port` (a child of ours: `reflex run`, which runs
    Granian's supervisor) and its forked workers (its children with the same command line)."""
    deadline = time.monotonic() + 30
    while True:
        for kid in _children(os.getpid()):
            arguments = _cmdline(kid).split(b"\0")
            if b"reflex" in arguments and str(port).encode() in arguments:
                found = [pid for pid in _children(kid) if _cmdline(pid) == _cmdline(kid)]
                if len(found) == workers:
                    return Tree(kid, sorted(found))
        if time.monotonic() > deadline:
            raise RuntimeError(f"no app on port {port} with {workers} workers")
        time.sleep(0.2)


def _kib(path: str, field_name: str) -> int:
    for line in Path(path).read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field_name} in {path}")


def rss_bytes(pid: int) -> int:
    """VmRSS: every resident page mapped by the process, shared ones counted in full."""
    return _kib(f"/proc/{pid}/status", "VmRSS") * 1024


def pss_bytes(pid: int) -> int:
    """Pss: resident pages, each shared page divided by the number of processes mapping it."""
    return _kib(f"/proc/{pid}/smaps_rollup", "Pss") * 1024


def socket_count(pid: int) -> int:
    """Open sockets of the process (connected tabs, plus Redis, PostgreSQL and listeners)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:
            continue
    return count


def redis_connections(pid: int, redis_port: int) -> int:
    """The process's TCP connections to Redis (its sockets matched in /proc/<pid>/net/tcp)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            link = os.readlink(fd)
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    count = 0
    for table_name in ("tcp", "tcp6"):
        try:
            rows = Path(f"/proc/{pid}/net/{table_name}").read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            remote_port = int(fields[2].rpartition(":")[2], 16)
            count += remote_port == redis_port and fields[9] in inodes
    return count


def open_files_limit(pid: int) -> int:
    """The soft RLIMIT_NOFILE of a process."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return int(line.split()[3])
    return 0
