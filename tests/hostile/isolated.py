"""Parse an untrusted file in a child process under a memory and a time cap.

The child sets ``RLIMIT_AS`` (address space) and ``RLIMIT_CPU`` before
importing anything, then prints one JSON line: the parse result, or the
rejection. Any other ending (another exception, a crash, the cap hit, the
timeout) is reported as such, so a test can insist on a clear outcome.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MEMORY_CAP = 1536 * 1024 * 1024
TIME_CAP = 60
ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import json, resource, sys
cap, cpu = int(sys.argv[2]), int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
from selfassess.errors import Rejected
from selfassess.forms.parse import parse_form
key = bytes.fromhex(sys.argv[4]) if len(sys.argv) > 4 else None
try:
    result = parse_form(sys.argv[1], key=key)
except Rejected as exc:
    print(json.dumps({"outcome": "rejected", "message": str(exc)}))
    sys.exit(2)
print(json.dumps({"outcome": "parsed", "result": result.to_json()}, default=str))
"""


@dataclass
class Outcome:
    kind: str
    """``parsed``, ``rejected``, or what went wrong: ``crashed``, ``timeout``."""
    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    stderr: str = ""

    def codes(self, severity: str | None = None) -> list[str]:
        """The codes of the problems of a parsed file (of one severity)."""
        return [
            p["code"]
            for p in self.result.get("problems", [])
            if severity is None or p["severity"] == severity
        ]


def parse_isolated(
    path: Path, key: bytes | None = None, memory: int = MEMORY_CAP, seconds: int = TIME_CAP
) -> Outcome:
    args = [sys.executable, "-c", _CHILD, str(path), str(memory), str(seconds)]
    if key:
        args.append(key.hex())
    try:
        done = subprocess.run(
            args, cwd=ROOT, capture_output=True, text=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired:
        return Outcome("timeout")
    lines = done.stdout.strip().splitlines()
    if done.returncode in (0, 2) and lines:
        data = json.loads(lines[-1])
        return Outcome(
            data["outcome"], data.get("message", ""), data.get("result", {}), done.stderr
        )
    return Outcome("crashed", f"exit status {done.returncode}", stderr=done.stderr[-3000:])


_CLI = r"""
import resource, sys
cap, cpu = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
from selfassess.cli import main
sys.argv = ["selfassess", *sys.argv[3:]]
main()
"""


def cli_isolated(
    args: list[str], memory: int = MEMORY_CAP, seconds: int = TIME_CAP
) -> subprocess.CompletedProcess[str]:
    """``selfassess ARGS`` under the same caps: its exit status, stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-c", _CLI, str(memory), str(seconds), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
    )
