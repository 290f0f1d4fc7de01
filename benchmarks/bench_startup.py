"""Whole-process CPU of ``selfassess --help`` against ``python -c "import typer"``.

Run: ``python -m benchmarks.bench_startup [--runs N]``. The two commands run
interleaved in child processes; each child's user + system CPU is read from
``getrusage(RUSAGE_CHILDREN)``, so the figure is the whole process, interpreter
start included. Prints min, median and max of each and the ratio of the
medians; the figures go in docs/performance.md ("Start-up").

The children keep compiled bytecode in a temporary folder, as an installed
package has it (pip compiles on install): with ``$PYTHONDONTWRITEBYTECODE``
every run would compile this package's modules again, and only this
package's, as typer's bytecode ships with it. ``--no-bytecode`` measures that
case instead.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: A typer app of nine commands with three options each and nothing else: what
#: typer and its Rich help cost on their own.
BARE_APP = '''
import typer
app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
def command(x: int = 1, y: str = "a", z: bool = False) -> None:
    """One line.

    Example:

        bare command
    """
for name in "abcdefghi":
    app.command(name)(command)
app()
'''

COMMANDS = {
    "floor: python -c 'import typer'": [sys.executable, "-c", "import typer"],
    "bare typer app --help": [sys.executable, "-c", BARE_APP, "--help"],
    "selfassess --help": [sys.executable, "-m", "selfassess", "--help"],
}


def cpu_of(args: list[str]) -> float:
    """User + system CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-bytecode", action="store_true", help="compile on every run")
    options = parser.parse_args()
    runs = options.runs
    os.environ["PYTHONPATH"] = str(ROOT)
    if options.no_bytecode:
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="bench-startup-")
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for args in COMMANDS.values():  # warm the file cache and the bytecode
        cpu_of(args)
    for _ in range(runs):
        for name, args in COMMANDS.items():
            times[name].append(cpu_of(args))
    floor = statistics.median(next(iter(times.values())))
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:<34} min {min(values) * 1000:6.0f} ms  median {median * 1000:6.0f} ms  "
            f"max {max(values) * 1000:6.0f} ms  ratio {median / floor:4.2f}"
        )


if __name__ == "__main__":
    main()
