"""The layering rules of docs/architecture.md, read from the code's own imports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "nfp_app"
# Lower layers never import higher ones; a layer may import its own and every lower one.
LAYERS = {
    "foundation": ("security", "models", "infra", "routes", "reflex_compat", "mail"),
    "services": ("services",),
    "adapters": ("state", "api", "cli", "tasks"),
    "ui": ("components", "pages"),
    "wiring": ("nfp_app", "__main__"),
}
RANK = {part: rank for rank, parts in enumerate(LAYERS.values()) for part in parts}
WEB_FRAMEWORKS = ("reflex", "reflex_base", "reflex_components_core", "fastapi", "starlette")


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).with_suffix("")
        yield ".".join(("nfp_app", *relative.parts)), path


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _part(module: str) -> str:
    """The top-level part of nfp_app a module belongs to: "services", "state", ..."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize(("module", "path"), list(_modules()), ids=lambda value: str(value))
def test_no_import_from_a_higher_layer(module: str, path: Path) -> None:
    part = _part(module)
    if part in ("__init__", ""):
        return
    for imported in _imports(path):
        if not imported.startswith("nfp_app.") or _part(imported) not in RANK:
            continue
        assert RANK[_part(imported)] <= RANK[part], f"{module} imports {imported}"


@pytest.mark.parametrize("part", ["services", "security", "models"])
def test_the_core_imports_no_web_framework(part: str) -> None:
    """Services, the pure security functions and the models run without Reflex or FastAPI."""
    # One pure function: the lenient cookie parser the REST side uses too (SEC-20).
    allowed = (
        {"starlette.requests", "starlette.requests.cookie_parser"} if part == "security" else set()
    )
    for module, path in _modules():
        if _part(module) != part:
            continue
        for imported in _imports(path) - allowed:
            assert imported.split(".")[0] not in WEB_FRAMEWORKS, f"{module} imports {imported}"


def test_every_module_is_small() -> None:
    """One concern per module: none passes 200 lines."""
    long = {
        module: n for module, path in _modules() if (n := len(path.read_text().splitlines())) > 200
    }
    assert long == {}


def test_reflex_internals_only_in_reflex_compat() -> None:
    """Reflex's internals are touched in one module, which a version test guards."""
    public = {"reflex", "reflex.config", "reflex.config.get_config"}
    for module, path in _modules():
        if module == "nfp_app.reflex_compat":
            continue
        for imported in _imports(path):
            root = imported.split(".")[0]
            if root.startswith("reflex") and imported not in public:
                raise AssertionError(f"{module} imports {imported}: move it to reflex_compat.py")
