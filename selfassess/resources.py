"""Where the shipped data lives, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    """The folder holding ``questionnaires/`` and ``locales/``.

    A wheel carries them inside the package (``selfassess/_data``); a checkout
    or an editable install has them at the top of the repository.
    """
    packaged = _PACKAGE / "_data"
    return packaged if packaged.is_dir() else _PACKAGE.parent


def questionnaires_dir() -> Path:
    return data_root() / "questionnaires"


def catalogue_dir() -> Path:
    return questionnaires_dir() / "catalogue"


def locales_dir() -> Path:
    return data_root() / "locales"
