"""The layout follows the pipeline, and nothing points the wrong way (docs/architecture.md).

Every ``selfassess`` import counts, lazy ones inside functions too: a lazy
import still ties one stage to another.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "selfassess"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.startswith("selfassess"):
                    targets.add(node.module)
                    targets.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("selfassess"))
        found[name] = targets
    return found


IMPORTS = _imports()


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


#: (importer prefix, forbidden prefix, why)
RULES = [
    ("selfassess.definitions", "selfassess.response", "definitions are the first stage"),
    ("selfassess.definitions", "selfassess.forms", "definitions are the first stage"),
    ("selfassess.definitions", "selfassess.scoring", "definitions are the first stage"),
    ("selfassess.definitions", "selfassess.secretariat", "definitions are the first stage"),
    ("selfassess.definitions", "selfassess.reports", "definitions are the first stage"),
    ("selfassess.definitions", "selfassess.cli", "the library never imports the CLI"),
    ("selfassess.response", "selfassess.forms", "interpretation knows no file format"),
    ("selfassess.response", "selfassess.office", "interpretation knows no file format"),
    ("selfassess.scoring", "selfassess.forms", "scoring works on responses, not files"),
    ("selfassess.scoring", "selfassess.safety", "scoring works on responses, not files"),
    ("selfassess.reports", "selfassess.forms", "reports do not import the form writers"),
    ("selfassess.office", "selfassess.forms", "office helpers serve forms and reports alike"),
    ("selfassess.office", "selfassess.reports", "office helpers serve forms and reports alike"),
    ("selfassess.safety", "selfassess.forms", "package checks run before any reader"),
    ("selfassess.store", "selfassess.secretariat", "the store is below the secretariat"),
    (
        "selfassess.forms",
        "selfassess.secretariat",
        "forms are read before the secretariat files them",
    ),
    ("selfassess.forms", "selfassess.reports", "forms are read before any report"),
    ("selfassess.problems", "selfassess.forms", "problems are worded the same for every format"),
    (
        "selfassess.problems",
        "selfassess.secretariat",
        "problems are worded the same for every format",
    ),
]
for _stage in (
    "definitions",
    "problems",
    "i18n",
    "response",
    "forms",
    "office",
    "safety",
    "scoring",
    "store",
    "secretariat",
    "reports",
):
    RULES.append((f"selfassess.{_stage}", "selfassess.cli", "the library never imports the CLI"))


@pytest.mark.parametrize(("importer", "forbidden", "why"), RULES)
def test_nothing_points_the_wrong_way(importer: str, forbidden: str, why: str) -> None:
    wrong = sorted(
        f"{mod} -> {target}"
        for mod, targets in IMPORTS.items()
        if _within(mod, importer)
        for target in targets
        if _within(target, forbidden)
    )
    assert not wrong, f"{why}: {wrong}"


def test_no_cli_module_imports_another() -> None:
    wrong = sorted(
        f"{mod} -> {target}"
        for mod, targets in IMPORTS.items()
        if _within(mod, "selfassess.cli") and mod != "selfassess.cli"
        for target in targets
        if _within(target, "selfassess.cli")
        and not _within(target, "selfassess.cli.common")
        and not _within(target, mod)
    )
    assert not wrong, wrong


def test_every_module_is_in_the_architecture_map() -> None:
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        path.relative_to(PACKAGE.parent).as_posix()
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "__main__.py"
        and f"`{path.relative_to(PACKAGE.parent).as_posix()}`" not in doc
    ]
    assert not missing, f"add to docs/architecture.md: {missing}"
