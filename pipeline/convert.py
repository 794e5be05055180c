"""The DOCX → PDF stage: runs LibreOffice headless, several documents per
soffice process and one process per worker, and moves each PDF into place
atomically. A document that cannot be converted is reported in its result;
the others go on.

LibreOffice quirks this module works around:

- soffice exits 0 even when a document could not be loaded ("Error: source
  file could not be loaded" on stderr), so success is judged by the PDF
  itself: it must exist, start with ``%PDF-`` and end with ``%%EOF``.
- Without ``--infilter`` garbage bytes named ``.docx`` are type-detected as
  plain text and "converted" to a PDF of garbage; forcing the Word 2007 XML
  filter makes them fail. A 0-byte file is opened as a new blank document,
  so empty sources are rejected before soffice sees them.
- Two soffice processes sharing a profile hand their work to the first one
  (or to the user's desktop LibreOffice), so each process gets its own
  throwaway profile (``-env:UserInstallation``).
- ``--outdir`` names each PDF after the source's stem, so two ``invoice.docx``
  from different cases in one batch would overwrite each other; sources are
  copied in under numbered names first.
- ``soffice`` is a shell script that execs ``oosplash``, which forks
  ``soffice.bin``: killing the pid we started leaves the real converter
  running. Each process therefore leads its own session and the whole group
  is killed.
- "Warning: failed to launch javaldx" on stderr is harmless (no Java needed).

Starting soffice on a fresh profile costs about 1.5–2 s and a small DOCX then
takes about 0.1–0.2 s, which is why documents are batched per process.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from .errors import EnvironmentProblem

INSTALL_COMMAND = "apt-get install libreoffice-writer-nogui fonts-liberation2"
# The cores this process may use, which in a container can be fewer than the
# machine has.
DEFAULT_WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

# Where LibreOffice lives when it is not on PATH: Debian's package, then the
# tarballs from libreoffice.org, which install under /opt and not on PATH.
SOFFICE_FALLBACKS = ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice*/program/soffice")

_SOFFICE_OPTIONS = (
    "--headless",
    "--norestore",
    "--nolockcheck",
    "--nodefault",
    "--nologo",
    "--infilter=MS Word 2007 XML",
    "--convert-to",
    "pdf:writer_pdf_Export",
)


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
    """The LibreOffice executable to run; EnvironmentProblem when there is none."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for pattern in SOFFICE_FALLBACKS:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if os.access(candidate, os.X_OK):
                return candidate
    raise EnvironmentProblem(
        f"LibreOffice (soffice) is not installed, so PDFs cannot be made. Install it: sudo {INSTALL_COMMAND}"
    )


def convert_pdfs(
    jobs: Sequence[ConversionJob], workers: int = DEFAULT_WORKERS, timeout_per_document: float = 60
) -> list[ConversionResult]:
    """Convert every job's DOCX to its PDF; results come back in job order.

    The jobs are split into one chunk per worker, each converted by one soffice
    process. A chunk that times out or crashes has its unconverted documents
    retried once, one by one. No soffice started here outlives the call.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if not jobs:
        return []
    soffice = find_soffice()
    chunks = _split_evenly(list(enumerate(jobs)), min(workers, len(jobs)))
    session = _SofficeSession(soffice, timeout_per_document)
    executor = ThreadPoolExecutor(max_workers=len(chunks), thread_name_prefix="soffice")
    results: dict[int, ConversionResult] = {}
    try:
        futures = [executor.submit(session.convert_chunk, chunk, retry=True) for chunk in chunks]
        for future in futures:
            results.update(future.result())
    finally:
        # On an error or Ctrl-C the worker threads may still be waiting on
        # soffice; kill first so that shutdown() does not wait for them.
        session.close()
        executor.shutdown(wait=True, cancel_futures=True)
    return [results[index] for index in range(len(jobs))]


def raise_for_failures(results: Sequence[ConversionResult]) -> None:
    """Raise EnvironmentProblem naming every failed conversion, one per line."""
    failed = [result for result in results if not result.ok]
    if failed:
        lines = [f"{result.job.source}: {result.error}" for result in failed]
        raise EnvironmentProblem("\n".join([*lines, f"{len(failed)} of {len(results)} PDFs not made"]))


class _Cancelled(Exception):
    """Raised in a worker thread asked to start soffice after the call ended."""


@dataclass(frozen=True)
class _Run:
    """How one soffice process ended."""

    timed_out: bool
    returncode: int
    stderr: str

    @property
    def finished(self) -> bool:
        return not self.timed_out and self.returncode == 0

    def describe(self, timeout: float) -> str:
        if self.timed_out:
            return f"LibreOffice did not finish within {timeout:g} s"
        lines = [line for line in self.stderr.splitlines() if line.strip() and "javaldx" not in line]
        return f"LibreOffice stopped with exit code {self.returncode} ({lines[-1] if lines else 'no message'})"


class _SofficeSession:
    """The soffice processes of one convert_pdfs call; close() kills them all."""

    def __init__(self, soffice: str, timeout_per_document: float):
        self._soffice = soffice
        self._timeout_per_document = timeout_per_document
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self._closed = False

    def convert_chunk(self, chunk: list[tuple[int, ConversionJob]], retry: bool) -> dict[int, ConversionResult]:
        results: dict[int, ConversionResult] = {}
        with tempfile.TemporaryDirectory(prefix="pipeline-lo-", ignore_cleanup_errors=True) as workdir:
            inbox, outbox = Path(workdir, "in"), Path(workdir, "out")
            inbox.mkdir()
            outbox.mkdir()
            staged: dict[int, Path] = {}
            for index, job in chunk:
                problem = _stage_source(job.source, inbox / f"{index}.docx")
                if problem:
                    results[index] = ConversionResult(job, False, problem)
                else:
                    staged[index] = inbox / f"{index}.docx"
            if not staged:
                return results
            timeout = self._timeout_per_document * len(staged)
            run = self._run(list(staged.values()), Path(workdir, "profile"), outbox, timeout)
            unconverted: list[tuple[int, ConversionJob]] = []
            for index, job in chunk:
                if index not in staged:
                    continue
                pdf = outbox / f"{index}.pdf"
                if _is_complete_pdf(pdf):
                    results[index] = _publish(pdf, job)
                elif run.finished:
                    error = "LibreOffice could not open it as a DOCX (damaged or not a Word file)"
                    results[index] = ConversionResult(job, False, error)
                else:
                    unconverted.append((index, job))
                    results[index] = ConversionResult(job, False, run.describe(timeout))
        # Retried only after the chunk's temporary directory is gone, so at
        # most one profile per worker exists at a time.
        if retry:
            for index, job in unconverted:
                results.update(self.convert_chunk([(index, job)], retry=False))
        return results

    def _run(self, sources: list[Path], profile: Path, outdir: Path, timeout: float) -> _Run:
        command = [
            self._soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            *_SOFFICE_OPTIONS,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        # stderr goes to a file, not a pipe: a pipe reaches EOF only when every
        # process holding it has exited, so a crashed wrapper with a surviving
        # child would keep us waiting until the timeout.
        stderr_path = profile.parent / "soffice.stderr"
        with self._lock, stderr_path.open("wb") as stderr:
            if self._closed:
                raise _Cancelled
            try:
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    start_new_session=True,
                )
            except OSError as err:
                raise EnvironmentProblem(
                    f"cannot start LibreOffice ({self._soffice}): {err}. Reinstall it: sudo {INSTALL_COMMAND}"
                ) from err
            self._running.add(process)
        try:
            process.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            # Killed even after a normal exit: the wrapper exiting does not
            # prove soffice.bin has, and the group outlives its leader.
            _kill_group(process)
            process.wait()
            with self._lock:
                self._running.discard(process)
        return _Run(timed_out, process.returncode, stderr_path.read_text(errors="replace"))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            running = list(self._running)
        for process in running:
            _kill_group(process)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _stage_source(source: Path, staged: Path) -> str | None:
    """Copy a source in under its numbered name; the reason when it cannot be."""
    try:
        if source.stat().st_size == 0:
            return "the file is empty"
        shutil.copyfile(source, staged)
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


def _publish(pdf: Path, job: ConversionJob) -> ConversionResult:
    """Move a finished PDF to the job's target without ever exposing half a file.

    The temporary directory may be on another file system than the target,
    so the PDF is copied next to the target first and then renamed over it.
    """
    partial: str | None = None
    try:
        job.target.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(prefix=f".{job.target.name}.", suffix=".part", dir=job.target.parent)
        with os.fdopen(fd, "wb") as out, pdf.open("rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o644)
        os.replace(partial, job.target)
    except OSError as err:
        if partial:
            Path(partial).unlink(missing_ok=True)
        return ConversionResult(job, False, f"cannot write {job.target}: {err.strerror or err}")
    return ConversionResult(job, True)


def _split_evenly(items: list[tuple[int, ConversionJob]], parts: int) -> list[list[tuple[int, ConversionJob]]]:
    size, extra = divmod(len(items), parts)
    bounds = [index * size + min(index, extra) for index in range(parts + 1)]
    return [items[start:end] for start, end in pairwise(bounds)]
