"""Starting the CLI loads typer and Rich, not the library it drives.

Each command imports what it calls when it runs; ``selfassess --help`` and a
refused option stay cheap (figures in docs/performance.md, "Start-up"). The
modules are read from ``sys.modules`` of a fresh interpreter.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import selfassess.cli

#: Heavy libraries (and the numpy that openpyxl pulls in), and the library's
#: own stages: none is needed to list commands or refuse an option.
FORBIDDEN = (
    "openpyxl",
    "docx",
    "matplotlib",
    "numpy",
    "lxml",
    "babel",
    "icu",
    "yaml",
    "selfassess.secretariat",
    "selfassess.forms",
    "selfassess.reports",
    "selfassess.response",
    "selfassess.definitions",
    "selfassess.safety",
    "selfassess.store",
    "selfassess.scoring",
    "selfassess.i18n",
)

_CHILD = """
import json, sys
argv = sys.argv[1:]
if argv:
    from selfassess.cli import main
    sys.argv = ["selfassess", *argv]
    try:
        main()
    except SystemExit:
        pass
else:
    import selfassess.cli
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


#: The rule that makes text safe to print (standard library only): a refusal prints.
ALLOWED = {"selfassess.safety", "selfassess.safety.text"}


def heavy(modules: set[str]) -> list[str]:
    return sorted(
        m for m in modules - ALLOWED if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)
    )


@pytest.mark.parametrize(
    "argv",
    [
        (),
        ("--help",),
        ("generate", "--help"),
        ("report", "--help"),
        ("status", "--as-of", "tomorrow"),
    ],
    ids=["import", "help", "generate-help", "report-help", "bad-date"],
)
def test_start_up_loads_no_library(argv: tuple[str, ...]) -> None:
    modules = loaded(*argv)
    assert "selfassess.cli" in modules
    assert heavy(modules) == []


def test_a_command_does_load_what_it_calls() -> None:
    """The check above can fail: a command that runs imports its library."""
    modules = loaded("questionnaire", "list")
    assert "selfassess.definitions.questionnaire" in heavy(modules)


def test_no_command_module_imports_another() -> None:
    """Shared things live in cli/common.py; only the package assembles the commands."""
    package = Path(selfassess.cli.__file__).parent
    for module in package.glob("*.py"):
        if module.name == "__init__.py":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        } | {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        others = {m for m in imported if m.startswith("selfassess.cli")} - {"selfassess.cli.common"}
        assert others == set(), f"{module.name} imports {others}"
