"""Where definitions live: a folder of the user's first, then the shipped data.

The shipped data (``questionnaires/`` and ``locales/``) sits at the top of a
checkout, or inside the package in a wheel. A secretariat's own definitions
(catalogues, questionnaires, their PO files, a Parties file) live in a folder
laid out the same way, given by ``--definitions DIR`` or
``$SELFASSESS_DEFINITIONS``, and are searched before the shipped ones.

The one process-wide setting is the folder the CLI sets once, from
``--definitions``, before any command runs (:func:`set_definitions_dir`);
without it the environment variable is read at each call. Callers that cache
what they load key their caches on :func:`roots`, so a change of folder is
never served stale data.
"""

from __future__ import annotations

import os
from pathlib import Path

from selfassess.errors import UsageError

_PACKAGE = Path(__file__).resolve().parent
DEFINITIONS_ENV = "SELFASSESS_DEFINITIONS"
PARTIES_FILE = "untoc_parties.yaml"
#: The secretariat's contact details, at the top of its own definitions folder.
CONTACT_FILE = "secretariat.yaml"

#: Set once by the CLI's ``--definitions``; None: ``$SELFASSESS_DEFINITIONS`` or nothing.
_definitions_dir: Path | None = None


def data_root() -> Path:
    """The folder holding the shipped ``questionnaires/`` and ``locales/``.

    A wheel carries them inside the package (``selfassess/_data``); a checkout
    or an editable install has them at the top of the repository.
    """
    packaged = _PACKAGE / "_data"
    return packaged if packaged.is_dir() else _PACKAGE.parent


def set_definitions_dir(path: Path | None) -> None:
    """The user's definitions folder for the rest of the process (the CLI's ``--definitions``)."""
    global _definitions_dir  # noqa: PLW0603 -- the documented process-wide setting
    _definitions_dir = None
    if path is not None:
        _definitions_dir = _checked(path, "--definitions")


def definitions_dir() -> Path | None:
    """The user's definitions folder: ``--definitions``, else ``$SELFASSESS_DEFINITIONS``."""
    if _definitions_dir is not None:
        return _definitions_dir
    env = os.environ.get(DEFINITIONS_ENV, "").strip()
    return _checked(Path(env), f"${DEFINITIONS_ENV}") if env else None


def _checked(path: Path, what: str) -> Path:
    if not path.is_dir():
        raise UsageError(
            f"{what} {path}: no such folder; give a folder holding questionnaires/ "
            "(and locales/), as 'selfassess questionnaire init' writes it"
        )
    return path.resolve()


def roots() -> tuple[Path, ...]:
    """Every folder searched for definitions, the user's first."""
    user = definitions_dir()
    shipped = data_root()
    return (user, shipped) if user is not None and user != shipped else (shipped,)


def questionnaires_dir() -> Path:
    """The shipped questionnaires folder."""
    return data_root() / "questionnaires"


def questionnaire_dirs() -> tuple[Path, ...]:
    return tuple(root / "questionnaires" for root in roots())


def catalogue_dir() -> Path:
    return questionnaires_dir() / "catalogue"


def catalogue_path(catalogue_id: str) -> Path:
    """The first catalogue file with that id on the search path (the shipped one if none)."""
    for folder in questionnaire_dirs():
        path = folder / "catalogue" / f"{catalogue_id}.yaml"
        if path.is_file():
            return path
    return catalogue_dir() / f"{catalogue_id}.yaml"


def parties_path() -> Path:
    """The Parties file: the user's if their folder has one, else the shipped one."""
    for folder in questionnaire_dirs():
        path = folder / "parties" / PARTIES_FILE
        if path.is_file():
            return path
    return questionnaires_dir() / "parties" / PARTIES_FILE


def contact_path() -> Path | None:
    """The user's ``secretariat.yaml``; None without one (none is shipped, so no
    form ever prints contact details the secretariat did not write)."""
    folder = definitions_dir()
    if folder is None or not (folder / CONTACT_FILE).is_file():
        return None
    return folder / CONTACT_FILE


def locales_dir() -> Path:
    """The shipped locales folder."""
    return data_root() / "locales"


def locales_dirs() -> tuple[Path, ...]:
    """Every locales folder, the user's first: their translations win."""
    return tuple(root / "locales" for root in roots())
