"""Files from and to the file system, where a name is not always what it seems.

Reading: a return named on the command line or found in a returns folder may
be a symbolic link (to ``/etc/passwd``, ``/proc/self/environ``), a FIFO or a
device that blocks or never ends, a file whose size lies, or one still being
written. :func:`read_regular` opens without following a link and without
blocking, reads regular files only, never more than the limit plus one byte,
and says so when the file changed while it was read.

Writing: an output folder may hold a link planted where a report or form will
go. :func:`output_file` writes to a new temporary file in the same folder and
renames it over the target, after refusing a target that is a link or not a
regular file; a rename replaces a link, never writes through it, so a link
planted between the check and the rename is replaced, not followed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from selfassess.errors import Rejected, UsageError
from selfassess.safety.text import shown

_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 20


def read_regular(path: Path | str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path``, its link not followed.

    A caller that gets more than ``limit`` bytes knows the file is too large
    without having read it all. Raises :class:`Rejected` for a link, a
    folder, a FIFO, a device or a socket, for a file that cannot be opened,
    and for one that changed while it was read.
    """
    name = shown(str(path))
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        if Path(path).is_symlink():
            raise Rejected(not_regular(name, "a symbolic link")) from None
        raise Rejected(f"cannot read {name}: {exc.strerror}") from None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise Rejected(not_regular(name, _kind(before.st_mode)))
        chunks: list[bytes] = []
        size = 0
        try:
            while size <= limit and (chunk := os.read(fd, min(_CHUNK, limit + 1 - size))):
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            raise Rejected(f"cannot read {name}: {exc.strerror}") from None
        after = os.fstat(fd)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        raise Rejected(
            f"{name} changed while it was being read; wait until it is completely saved "
            "or copied, then read it again"
        )
    if len(data) <= limit and len(data) != after.st_size:
        # /proc files say 0 bytes; a file truncated under us says more than it holds.
        raise Rejected(
            f"{name} gave {len(data)} bytes but its size says {after.st_size}: it is not "
            "an ordinary file, or it is being written; read a saved copy"
        )
    return data


def not_regular(name: str, kind: str) -> str:
    """The reason a path that is not a regular file is not read."""
    return f"{name} is {kind}, not a regular file; only regular files are read"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a special file"


def kind_of(path: Path) -> str | None:
    """None for a regular file (not a link to one); else what it is, for messages."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    return None if stat.S_ISREG(mode) else _kind(mode)


@contextlib.contextmanager
def output_file(path: Path | str) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` with, put in place only when the block ends well.

    Raises :class:`UsageError` when ``path`` exists and is a symbolic link or
    anything but a regular file: a link planted in an output folder is
    refused, never written through. The data goes to a new file in the same
    folder (created exclusively) that is renamed over ``path``.
    """
    target = Path(path)
    _refuse_planted(target)
    fd, temp = tempfile.mkstemp(prefix=".selfassess-", suffix=".part", dir=target.parent)
    try:
        # mkstemp makes the file private; an output gets the usual permissions.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _refuse_planted(target)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_output(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through :func:`output_file`."""
    with output_file(path) as fh:
        fh.write(data)


def _refuse_planted(target: Path) -> None:
    kind = kind_of(target) if os.path.lexists(target) else None
    if kind is not None:
        raise UsageError(
            f"refusing to write {shown(str(target))}: it is {kind}, not a regular file; "
            "remove it or choose another output folder"
        )
