"""The wheel carries questionnaires/ and locales/ and works outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the built wheel of selfassess in it.

    Dependencies come from the test environment (system site packages) so the
    test needs no network; the package itself must come from the wheel.
    """
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp), str(ROOT)],
        check=True,
    )
    wheel = next(tmp.glob("selfassess-*.whl"))
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    return env_dir


def run(env_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(env_dir / "bin" / "selfassess"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_wheel_finds_its_data_from_another_folder(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import selfassess; print(selfassess.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(installed) in where, where
    listed = run(installed, tmp_path, "questionnaire", "list")
    assert listed.returncode == 0, listed.stderr
    assert "ctoc_wgta" in listed.stdout
    shown = run(installed, tmp_path, "questionnaire", "show", "--lang", "fr", "--json")
    assert shown.returncode == 0, shown.stderr
    assert '"language": "fr"' in shown.stdout


def test_wheel_generates_forms(installed: Path, tmp_path: Path) -> None:
    done = run(installed, tmp_path, "generate", "--lang", "ar", "--out", "forms")
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "forms").iterdir())
    assert written == ["ctoc_wgta-1.0-ar.docx", "ctoc_wgta-1.0-ar.xlsx"]
