"""The parent's side of one warm LibreOffice worker (``uno_worker.py``): starts
it as its own process group, exchanges JSON lines with it under a deadline,
and kills the whole group; converts one document on it into a temporary file
renamed into place. convert.py's pool decides when. Also the sweep of what
the workers of a killed run leave behind (profiles, pipe sockets).

LibreOffice quirks handled here:

- Success is judged by the PDF itself: it must start with ``%PDF-`` and end
  with ``%%EOF`` (a load that fails may "succeed" with no exception).
- ``soffice`` is a shell script that execs ``oosplash``, which forks
  ``soffice.bin``: killing the pid we started leaves the real converter
  running. Each worker leads its own process group (helper, oosplash,
  soffice.bin) and the whole group is killed: on close, on a timeout or crash,
  at exit, and by the helper itself when its parent dies.
- stdout is read through ``select`` with a deadline and stderr goes to a
  file: a blocking read would wait on a hung soffice forever, and a full
  stderr pipe would hang a healthy one.
- soffice makes its pipe sockets in /tmp whatever TMPDIR says, and a killed
  one leaves them behind (``OSL_PIPE_<uid>_<name>`` and the single-instance
  ``OSL_PIPE_<uid>_SingleOfficeIPC_<md5 of the profile URL>``); they are
  removed with the profile.
- A store that fails on a full disk is only "SfxBaseModel::impl_store … failed:
  0x507(Error Area:Io Class:Access Code:7)": the free space of the target's
  disk tells it apart (pdf_file.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.pdf.pdf_file import low_on_space, write_pdf
from pipeline.store.outputs import disk_full

# A pool's folder of profiles, in the temporary directory, carries its process id.
FOLDER_PREFIX = "pipeline-lo-"


class WorkerLost(Exception):
    """Raised when a worker did not start, hung past its deadline or died;
    the message says which, as the user will read it."""


class WorkerProcess:
    """One worker process and its folder (profile, stderr); kill() removes both."""

    def __init__(self, command: Sequence[str], folder: Path, pipe_name: str):
        self.folder = folder
        self._pipe_name = pipe_name
        self.conversions = 0
        self.in_soffice = False  # whether it answers inside soffice (uno_worker.py's macro), said when ready
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
        self.in_soffice = bool(answer.get("in_soffice"))

    def convert(self, source: str, target: str, pdfa: bool, timeout: float) -> dict[str, Any]:
        """The worker's answer for one document: {"ok": …, "error": …}."""
        return self.ask({"source": source, "target": target, "pdfa": pdfa}, timeout)

    def ask(self, request: dict[str, Any], timeout: float, documents: int = 1) -> dict[str, Any]:
        """The worker's answer to one request, converting `documents` documents."""
        line = json.dumps(request, ensure_ascii=False) + "\n"
        try:
            assert self._process.stdin is not None
            self._process.stdin.write(line.encode())
            self._process.stdin.flush()
        except OSError:
            raise WorkerLost(self._describe_exit()) from None
        answer = self._read_answer(timeout, f"LibreOffice did not finish within {timeout:g} s")
        self.conversions += documents
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


def convert_document(worker: WorkerProcess, source: Path, target: Path, pdfa: bool, timeout: float) -> str | None:
    """Convert `source` to `target` on `worker` (pdf_file.write_pdf: through a
    temporary file renamed into place): None when done, else why not.
    WorkerLost when the worker hung or died; EnvironmentProblem when the disk is full."""

    def produce(partial: Path) -> str | None:
        answer = worker.convert(str(source.resolve()), str(partial.resolve()), pdfa, timeout)
        return answer_error(answer, target)

    return write_pdf(target, produce)


def answer_error(answer: dict[str, Any], target: Path) -> str | None:
    """None for a document the worker converted, else why not; EnvironmentProblem when a store failed on a full disk."""
    if answer.get("ok"):
        return None
    if answer.get("stage") == "store" and low_on_space(target.parent):
        raise disk_full(target)
    return str(answer.get("error") or "LibreOffice could not convert it")


def pipe_sockets(profile: Path, pipe_name: str) -> list[Path]:
    """The sockets a killed soffice leaves in /tmp (its pipes ignore TMPDIR):
    our --accept pipe, and the single-instance pipe named after the MD5 of the
    profile URL's UTF-16 code units, each byte in unpadded hex."""
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    single_instance = "SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)
    return [Path(f"/tmp/OSL_PIPE_{os.getuid()}_{name}") for name in (pipe_name, single_instance)]


def sweep_orphaned_folders() -> None:
    """Remove the profile folders and pipe sockets of pools whose process is
    gone (a run killed with SIGKILL cannot clean up after itself; its workers
    kill their own soffice when they see it die)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        if not _process_alive(_owner_pid(folder.name)):
            for worker in folder.glob("w*"):
                for socket in pipe_sockets(worker / "profile", f"{folder.name}-{worker.name}"):
                    socket.unlink(missing_ok=True)
            shutil.rmtree(folder, ignore_errors=True)
    for socket in Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_{FOLDER_PREFIX}*"):
        if not _process_alive(_owner_pid(socket.name.split("_", 3)[-1])):
            socket.unlink(missing_ok=True)


def _owner_pid(name: str) -> int:
    """The process id in `pipeline-lo-<pid>-…`; 0 for a name of another shape."""
    number = name.removeprefix(FOLDER_PREFIX).split("-", 1)[0]
    return int(number) if number.isdigit() else 0


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not ours to judge: leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
