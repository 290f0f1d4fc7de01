"""Start a private headless LibreOffice and load and store documents through UNO.

Runs under the system Python (/usr/bin/python3), the only one with the ``uno``
module; it must not import the selfassess package.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# A first start with an empty profile takes several seconds (profile creation).
CONNECT_TIMEOUT_S = 90.0


class JobError(Exception):
    """A job cannot be done as asked; the message says which key and why."""


def props(**values: Any) -> tuple[Any, ...]:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def url(path: str) -> str:
    return str(uno.systemPathToFileUrl(str(Path(path).resolve())))


class Office:
    """One soffice process with its own user profile, reached over a named pipe."""

    def __init__(self, soffice: str, profile_dir: str) -> None:
        pipe = f"selfassess_test_{os.getpid()}"
        # soffice stays in this script's process group: the caller kills the
        # group if anything hangs, so no LibreOffice outlives a test.
        self.process = subprocess.Popen(
            [
                soffice,
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={uno.systemPathToFileUrl(profile_dir)}",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        while True:
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if self.process.poll() is not None:
                    raise JobError(
                        f"soffice exited with code {self.process.returncode} before accepting"
                    ) from None
                if time.monotonic() > deadline:
                    raise JobError(
                        f"soffice did not accept a connection within {CONNECT_TIMEOUT_S} s"
                    ) from None
                time.sleep(0.2)
        self.desktop = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.ctx
        )

    def load(self, path: str) -> Any:
        doc = self.desktop.loadComponentFromURL(
            url(path), "_blank", 0, props(Hidden=True, ReadOnly=False)
        )
        if doc is None:
            raise JobError(f"LibreOffice could not open {path}")
        return doc

    @staticmethod
    def store(doc: Any, path: str, filter_name: str, password: str | None = None) -> None:
        extra = {"Password": password} if password else {}
        doc.storeToURL(url(path), props(FilterName=filter_name, Overwrite=True, **extra))

    def close(self) -> None:
        # terminate() may fail as the bridge goes down with the process;
        # the wait and kill below end it either way.
        with contextlib.suppress(Exception):
            self.desktop.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
