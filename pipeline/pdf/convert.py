"""The DOCX → PDF stage: a pool of warm LibreOffice workers, one per core,
each a soffice process with its own profile driven over UNO by
``uno_worker.py``. Documents are submitted one at a time while the build is
still rendering; each PDF is checked and moved into place atomically, and a
document that cannot be converted is reported in its result while the others
go on.

Starting soffice on a fresh profile costs about 2 s; a warm one then converts
a small DOCX in about 0.1 s, so workers stay up and are recycled only every
``recycle_after`` documents, to bound LibreOffice's memory (measured: a
worker's soffice.bin grows from 150 MB to 190 MB over its first 100 of our
documents and stays at 197 MB through 600).

The UNO client runs as a helper process under the system Python that has
``uno`` (Debian's ``python3-uno``), because LibreOffice's Python bindings are
built for that interpreter, not for the project's virtualenv.

LibreOffice quirks this module works around:

- A load that fails is not always an exception: ``loadComponentFromURL`` may
  return None, and ``soffice --convert-to`` even exits 0. Success is judged by
  the PDF itself: it must start with ``%PDF-`` and end with ``%%EOF``.
- Without a forced import filter garbage bytes named ``.docx`` are
  type-detected as plain text and "converted" to a PDF of garbage; the worker
  forces "MS Word 2007 XML". A 0-byte file opens as a new blank document, so
  empty sources are rejected before LibreOffice sees them.
- Two soffice processes sharing a profile hand their work to the first one
  (or to the user's desktop LibreOffice), so each worker gets its own
  throwaway profile (``-env:UserInstallation``) and its own pipe name.
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
- ``soffice --convert-to`` (7.4) silently stops after about 250 documents
  in one process and still exits 0; a warm worker is recycled well before.
- "Warning: failed to launch javaldx" on stderr is harmless (no Java needed).
"""

from __future__ import annotations

import atexit
import functools
import glob
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import EnvironmentProblem
from pipeline.pdf.soffice_worker import WorkerLost, WorkerProcess, pipe_sockets

INSTALL_COMMAND = "apt-get install libreoffice-writer-nogui python3-uno fonts-liberation2"
# The cores this process may use, which in a container can be fewer than the
# machine has.
DEFAULT_WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
DEFAULT_TIMEOUT = 60.0
DEFAULT_RECYCLE_AFTER = 1000
STARTUP_TIMEOUT = 60.0

# Where LibreOffice lives when it is not on PATH: Debian's package, then the
# tarballs from libreoffice.org, which install under /opt and not on PATH.
SOFFICE_FALLBACKS = ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice*/program/soffice")
# Pythons that can `import uno`: Debian's (python3-uno), then the one bundled
# with libreoffice.org's tarballs.
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", "/opt/libreoffice*/program/python")
UNO_WORKER_SCRIPT = Path(__file__).with_name("uno_worker.py")
# A pool's folder of profiles, in the temporary directory, carries its process id.
FOLDER_PREFIX = "pipeline-lo-"


@dataclass(frozen=True)
class ConversionJob:
    """One DOCX to convert and where its PDF goes."""

    source: Path
    target: Path


@dataclass(frozen=True)
class ConversionResult:
    """What became of one job; ``error`` says why when ``ok`` is false."""

    job: ConversionJob
    ok: bool
    error: str | None = None


def find_soffice() -> str:
    """The LibreOffice executable to run, after checking that a Python with
    LibreOffice's ``uno`` module is there too; EnvironmentProblem when either is missing."""
    soffice = _first_executable(("soffice", "libreoffice"), SOFFICE_FALLBACKS)
    if soffice is None:
        raise EnvironmentProblem(
            f"LibreOffice (soffice) is not installed, so PDFs cannot be made. Install it: sudo {INSTALL_COMMAND}"
        )
    find_uno_python()
    return soffice


def find_uno_python() -> str:
    """A Python interpreter that can ``import uno``; EnvironmentProblem when there is none."""
    found = _uno_python(UNO_PYTHONS)
    if found is None:
        raise EnvironmentProblem(
            "LibreOffice's Python bindings (uno) are not installed, so PDFs cannot be made. "
            f"Install them: sudo {INSTALL_COMMAND}"
        )
    return found


def convert_pdfs(
    jobs: Sequence[ConversionJob],
    workers: int = DEFAULT_WORKERS,
    timeout_per_document: float = DEFAULT_TIMEOUT,
    pdfa: bool = False,
) -> list[ConversionResult]:
    """Convert every job's DOCX to its PDF (PDF/A-2b with `pdfa`) in a ConversionPool; results in job order."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if not jobs:
        return []
    with ConversionPool(min(workers, len(jobs)), timeout_per_document, pdfa=pdfa) as pool:
        futures = [pool.submit(job) for job in jobs]
        return [future.result() for future in futures]


class ConversionPool:
    """Warm LibreOffice workers converting submitted jobs as they come.

    Workers start at once, so that they warm up while the caller renders.
    A worker that hangs past ``timeout_per_document`` or crashes is killed
    with its whole process group and replaced by a fresh one (fresh profile),
    and its document is retried once; one that has converted
    ``recycle_after`` documents is replaced too. ``close()`` — also on leaving
    a ``with`` block, on Ctrl-C and at interpreter exit — leaves no process
    and no profile behind. ``worker_command`` replaces the UNO helper (tests);
    it is given ``--profile DIR --pipe NAME`` and must speak its protocol.
    """

    def __init__(
        self,
        workers: int = DEFAULT_WORKERS,
        timeout_per_document: float = DEFAULT_TIMEOUT,
        *,
        recycle_after: int = DEFAULT_RECYCLE_AFTER,
        pdfa: bool = False,
        worker_command: Sequence[str] | None = None,
    ):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if worker_command is None:
            soffice = find_soffice()
            worker_command = [find_uno_python(), "-I", str(UNO_WORKER_SCRIPT), "--soffice", soffice]
        self._command = list(worker_command)
        self._timeout = timeout_per_document
        self._recycle_after = recycle_after
        self._pdfa = pdfa
        self._jobs: queue.SimpleQueue[tuple[ConversionJob, Future[ConversionResult]] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._live: set[WorkerProcess] = set()
        self._started_workers = 0
        self._cancelled = False
        self._closed = False
        sweep_orphaned_folders()
        self._folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        _OPEN_POOLS.add(self)
        self._threads = [
            threading.Thread(target=self._serve, args=(slot,), name=f"soffice-{slot}", daemon=True)
            for slot in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> ConversionPool:
        return self

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        self.close(cancel=exc_type is not None)

    def submit(self, job: ConversionJob) -> Future[ConversionResult]:
        """Queue one job; its future resolves to a ConversionResult (never an exception but CancelledError)."""
        future: Future[ConversionResult] = Future()
        if self._closed:
            raise RuntimeError("submit() on a closed ConversionPool")
        problem = _check_source(job.source)
        if problem:
            future.set_result(ConversionResult(job, False, problem))
        else:
            self._jobs.put((job, future))
        return future

    def close(self, cancel: bool = False) -> None:
        """Finish the queued jobs (or, with ``cancel``, drop them and kill every
        worker at once), then remove every worker and profile."""
        if self._closed and not cancel:
            return
        self._closed = True
        try:
            if cancel:
                self._cancel()
            for _ in self._threads:
                self._jobs.put(None)
            for thread in self._threads:
                thread.join()
        except BaseException:
            # Ctrl-C while waiting for the last documents.
            self._cancel()
            raise
        finally:
            with self._lock:
                leftover = list(self._live)
            for worker in leftover:
                self._stop_worker(worker)
            shutil.rmtree(self._folder, ignore_errors=True)
            _OPEN_POOLS.discard(self)

    def _cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            live = list(self._live)
        for worker in live:
            worker.kill()
        while True:
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[1].cancel()

    def _serve(self, slot: int) -> None:
        worker: WorkerProcess | None = None
        try:
            worker = self._start_worker(slot)
        except WorkerLost:
            worker = None  # retried when the first document comes
        except CancelledError:
            return
        try:
            while (item := self._jobs.get()) is not None:
                job, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    result, worker = self._convert(slot, worker, job)
                except CancelledError as err:
                    future.set_exception(err)
                    return
                except Exception as err:  # a bug here must reach the caller, not hang it
                    future.set_exception(err)
                    worker = None  # still in _live, killed by close()
                else:
                    future.set_result(result)
        finally:
            if worker:
                self._stop_worker(worker)

    def _convert(
        self, slot: int, worker: WorkerProcess | None, job: ConversionJob
    ) -> tuple[ConversionResult, WorkerProcess | None]:
        """Convert on this slot's worker, replacing it once if it hangs or dies."""
        error = ""
        for _attempt in range(2):
            try:
                if worker and worker.conversions >= self._recycle_after:
                    self._stop_worker(worker)
                    worker = None
                if worker is None:
                    worker = self._start_worker(slot)
                return _convert_on(worker, job, self._timeout, self._pdfa), worker
            except WorkerLost as err:
                error = str(err)
                if worker:
                    self._stop_worker(worker)
                worker = None
        return ConversionResult(job, False, error), worker

    def _start_worker(self, slot: int) -> WorkerProcess:
        with self._lock:
            if self._cancelled:
                raise CancelledError
            self._started_workers += 1
            name = f"w{slot}-{self._started_workers}"
            worker = WorkerProcess(self._command, self._folder / name, f"{self._folder.name}-{name}")
            self._live.add(worker)
        try:
            worker.wait_ready(STARTUP_TIMEOUT)
        except BaseException:
            self._stop_worker(worker)
            raise
        return worker

    def _stop_worker(self, worker: WorkerProcess) -> None:
        worker.kill()
        with self._lock:
            self._live.discard(worker)


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


def _convert_on(worker: WorkerProcess, job: ConversionJob, timeout: float, pdfa: bool) -> ConversionResult:
    """One job on one worker; WorkerLost when the worker hung or died."""
    try:
        job.target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial_name = tempfile.mkstemp(prefix=f".{job.target.name}.", suffix=".part", dir=job.target.parent)
        os.close(fd)
    except OSError as err:
        return ConversionResult(job, False, f"cannot write {job.target}: {err.strerror or err}")
    partial = Path(partial_name)
    try:
        answer = worker.convert(str(job.source.resolve()), str(partial.resolve()), pdfa, timeout)
        if not answer.get("ok"):
            return ConversionResult(job, False, str(answer.get("error") or "LibreOffice could not convert it"))
        if not _is_complete_pdf(partial):
            return ConversionResult(job, False, "LibreOffice wrote an incomplete PDF")
        partial.chmod(0o644)
        os.replace(partial, job.target)
    except OSError as err:
        return ConversionResult(job, False, f"cannot write {job.target}: {err.strerror or err}")
    finally:
        partial.unlink(missing_ok=True)
    return ConversionResult(job, True)


def _check_source(source: Path) -> str | None:
    """Why a source cannot be converted before LibreOffice sees it, if it cannot."""
    try:
        if source.stat().st_size == 0:
            return "the file is empty"
        with source.open("rb"):
            pass
    except OSError as err:
        return f"cannot read the file: {err.strerror or err}"
    return None


def _is_complete_pdf(pdf: Path) -> bool:
    # A PDF cut short by a kill has no %%EOF in its last bytes.
    try:
        with pdf.open("rb") as stream:
            head = stream.read(5)
            stream.seek(max(pdf.stat().st_size - 1024, 0))
            tail = stream.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


def _first_executable(names: Sequence[str], patterns: Sequence[str]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    for pattern in patterns:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if os.access(candidate, os.X_OK):
                return candidate
    return None


@functools.cache
def _uno_python(patterns: tuple[str, ...]) -> str | None:
    for pattern in patterns:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if not os.access(candidate, os.X_OK):
                continue
            check = subprocess.run([candidate, "-I", "-c", "import uno"], capture_output=True, check=False)
            if check.returncode == 0:
                return candidate
    return None


_OPEN_POOLS: set[ConversionPool] = set()


@atexit.register
def _cancel_open_pools() -> None:
    for pool in list(_OPEN_POOLS):
        pool.close(cancel=True)
