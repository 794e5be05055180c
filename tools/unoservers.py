"""Local unoserver servers for the tests and the bench: each started on free
ports (XML-RPC and UNO) with its own LibreOffice profile, waited for until it
answers, and killed with its soffice afterwards.

unoserver runs under the Python that has LibreOffice's ``uno`` (Debian's
/usr/bin/python3): .venv-uno, which `make unoserver` makes, or the
interpreter named by UNOSERVER_PYTHON.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.pdf.converters import ServerAddress  # noqa: E402
from pipeline.pdf.remote import UnoServerClient  # noqa: E402

UNOSERVER_VENV_PYTHON = ROOT / ".venv-uno" / "bin" / "python"
READY_WITHIN = 90.0  # unoserver itself waits 7 s; LibreOffice on a loaded machine takes more
PR_SET_PDEATHSIG = 1


def unoserver_python() -> str | None:
    """A Python that can run unoserver (with `uno`), or None."""
    candidate = os.environ.get("UNOSERVER_PYTHON") or str(UNOSERVER_VENV_PYTHON)
    try:
        check = subprocess.run([candidate, "-c", "import unoserver.server"], capture_output=True, check=False)
    except OSError:
        return None
    return candidate if check.returncode == 0 else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    # A test or bench killed outright must not leave servers (and their soffice) running:
    # unoserver passes the SIGTERM on to its LibreOffice.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class LocalUnoServer:
    """One unoserver process (and the soffice it starts, in its process group)."""

    def __init__(self, python: str, folder: Path):
        folder.mkdir(parents=True)
        self.address = ServerAddress("127.0.0.1", free_port())
        self.log = folder / "unoserver.log"
        command = [python, "-m", "unoserver.server", "--interface", "127.0.0.1", "--port", str(self.address.port)]
        command += ["--uno-port", str(free_port()), "--user-installation", str(folder / "profile")]
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )

    def wait_ready(self, within: float = READY_WITHIN) -> None:
        client = UnoServerClient(self.address)
        deadline = time.monotonic() + within
        while client.probe(timeout=2) is not None:
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"unoserver {self.address} did not start:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.5)

    def kill(self) -> None:
        """Kill unoserver and its LibreOffice at once; safe to call twice."""
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._process.wait()


@contextmanager
def local_unoservers(count: int, folder: Path, python: str) -> Iterator[list[LocalUnoServer]]:
    """`count` local servers, ready, killed on leaving."""
    with ExitStack() as stack:
        servers = []
        for number in range(count):
            server = LocalUnoServer(python, folder / f"unoserver-{number}")
            stack.callback(server.kill)
            servers.append(server)
        for server in servers:
            server.wait_ready()
        yield servers


def converter_url(servers: list[LocalUnoServer]) -> str:
    """The --converter value naming `servers`."""
    return "unoserver://" + ",".join(str(server.address) for server in servers)
