"""SEC-14: every dependency is pinned to an exact version, and the environment matches the pins."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

pytestmark = pytest.mark.security

ROOT = Path(__file__).resolve().parents[2]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$")


def _requirement_lines(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("-r ")]


def _pins(path: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in _requirement_lines(path):
        match = _PIN.match(line)
        assert match, f"{path.name}: {line!r} is not pinned with =="
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"{path.name}: {name} is listed twice"
        pins[name] = match.group(2)
    return pins


def test_sec14_requirements_are_exact_pins_that_agree_with_the_lock() -> None:
    locked = _pins(ROOT / "constraints.txt")
    for file_name in ("requirements.txt", "requirements-dev.txt"):
        for name, version in _pins(ROOT / file_name).items():
            assert locked.get(name) == version, f"{file_name}: {name}=={version} vs the lock"


def _closure(roots: list[str]) -> set[str]:
    """Every distribution the roots need, following installed metadata and markers."""
    seen: set[str] = set()
    pending = [canonicalize_name(root) for root in roots]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(canonicalize_name(requirement.name))
    return seen


def test_sec14_every_transitive_dependency_is_locked_and_installed_as_pinned() -> None:
    locked = _pins(ROOT / "constraints.txt")
    direct = list(_pins(ROOT / "requirements.txt")) + list(_pins(ROOT / "requirements-dev.txt"))
    needed = _closure(direct)
    assert needed - set(locked) == set(), "dependencies missing from constraints.txt"
    for name in needed:
        assert metadata.version(name) == locked[name], f"{name} differs from constraints.txt"
