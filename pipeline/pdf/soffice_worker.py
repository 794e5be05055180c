"""The parent's side of one warm LibreOffice worker (``uno_worker.py``): starts
it as its own process group, exchanges JSON lines with it under a deadline,
and kills the whole group. convert.py's pool decides when.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class WorkerLost(Exception):
    """Raised when a worker did not start, hung past its deadline or died;
    the message says which, as the user will read it."""


class WorkerProcess:
    """One worker process and its folder (profile, stderr); kill() removes both."""

    def __init__(self, command: Sequence[str], folder: Path, pipe_name: str):
        self.folder = folder
        self._pipe_name = pipe_name
        self.conversions = 0
        self._buffer = b""
        self._stderr_path = folder / "worker.stderr"
        folder.mkdir(parents=True)
        arguments = [*command, "--profile", str(folder / "profile"), "--pipe", pipe_name]
        # stderr goes to a file: nobody reads it while converting, and a full
        # pipe would block the worker.
        with self._stderr_path.open("wb") as stderr:
            try:
                self._process = subprocess.Popen(
                    arguments,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=stderr,
                    start_new_session=True,
                )
            except OSError as err:
                shutil.rmtree(folder, ignore_errors=True)
                raise WorkerLost(f"cannot start the LibreOffice worker ({command[0]}): {err.strerror or err}") from err

    def wait_ready(self, timeout: float) -> None:
        answer = self._read_answer(timeout, f"LibreOffice did not start within {timeout:g} s")
        if not answer.get("ready"):
            raise WorkerLost(f"LibreOffice did not start ({answer.get('error') or 'no message'})")

    def convert(self, source: str, target: str, pdfa: bool, timeout: float) -> dict[str, Any]:
        """The worker's answer for one document: {"ok": …, "error": …}."""
        request = json.dumps({"source": source, "target": target, "pdfa": pdfa}, ensure_ascii=False) + "\n"
        try:
            assert self._process.stdin is not None
            self._process.stdin.write(request.encode())
            self._process.stdin.flush()
        except OSError:
            raise WorkerLost(self._describe_exit()) from None
        answer = self._read_answer(timeout, f"LibreOffice did not finish within {timeout:g} s")
        self.conversions += 1
        return answer

    def kill(self) -> None:
        """Kill the worker's whole process group and remove its folder; safe to call twice."""
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream:
                try:
                    stream.close()
                except OSError:
                    pass
        shutil.rmtree(self.folder, ignore_errors=True)
        for socket in pipe_sockets(self.folder / "profile", self._pipe_name):
            socket.unlink(missing_ok=True)

    def _read_answer(self, timeout: float, timeout_message: str) -> dict[str, Any]:
        assert self._process.stdout is not None
        descriptor = self._process.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerLost(timeout_message)
            try:
                # Polled, not waited on: stdout reaches EOF only when every
                # process holding it has gone, and a crashed worker's child
                # may hold it open.
                readable, _, _ = select.select([descriptor], [], [], min(remaining, 0.2))
                chunk = os.read(descriptor, 65536) if readable else None
            except (OSError, ValueError):  # closed by kill() from another thread
                chunk = b""
            if chunk == b"" or (chunk is None and self._process.poll() is not None):
                raise WorkerLost(self._describe_exit())
            if chunk:
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            answer = json.loads(line)
        except ValueError:
            raise WorkerLost(f"LibreOffice worker said something unexpected: {line[:200]!r}") from None
        if not isinstance(answer, dict):
            raise WorkerLost(f"LibreOffice worker said something unexpected: {line[:200]!r}")
        return answer

    def _describe_exit(self) -> str:
        try:
            returncode = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "LibreOffice stopped answering"
        try:
            stderr = self._stderr_path.read_text(errors="replace")
        except OSError:
            stderr = ""
        lines = [line for line in stderr.splitlines() if line.strip() and "javaldx" not in line]
        return f"LibreOffice stopped with exit code {returncode} ({lines[-1] if lines else 'no message'})"


def pipe_sockets(profile: Path, pipe_name: str) -> list[Path]:
    """The sockets a killed soffice leaves in /tmp (its pipes ignore TMPDIR):
    our --accept pipe, and the single-instance pipe named after the MD5 of the
    profile URL's UTF-16 code units, each byte in unpadded hex."""
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    single_instance = "SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)
    return [Path(f"/tmp/OSL_PIPE_{os.getuid()}_{name}") for name in (pipe_name, single_instance)]
