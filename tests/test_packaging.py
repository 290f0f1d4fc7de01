"""The wheel carries questionnaires/ and locales/ and works outside the repository."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the built wheel of selfassess in it.

    Its dependencies are those of the running interpreter, so the test needs no
    network, whether the suite runs inside a virtual environment or outside one
    (``system_site_packages`` would reach only the base installation, which in a
    venv lacks them). A ``.pth`` file lists the running interpreter's
    site-packages as plain paths: .pth files there (an editable install of this
    repository) are not processed, and the venv's own site-packages, holding
    the wheel, comes first. ``.ci/run`` proves the same with dependencies
    resolved from PyPI (README's first command).
    """
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp), str(ROOT)],
        check=True,
    )
    wheel = next(tmp.glob("selfassess-*.whl"))
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = dict.fromkeys([*site.getsitepackages(), sysconfig.get_paths()["purelib"]])
    (Path(own) / "test-dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    return env_dir


def outside_env() -> dict[str, str]:
    """The environment without PYTHONPATH, which would put the repository first."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def run(env_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(env_dir / "bin" / "selfassess"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=outside_env(),
        check=False,
    )


def test_wheel_finds_its_data_from_another_folder(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import selfassess; print(selfassess.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=outside_env(),
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
    assert written == ["ctoc_wgta-1.1-ar.docx", "ctoc_wgta-1.1-ar.xlsx"]
