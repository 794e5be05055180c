"""The DOCX → PDF stage: a pool of warm LibreOffice workers, one per core,
each a soffice process with its own profile driven over UNO by
``uno_worker.py``. Documents are submitted one at a time while the build is
still rendering; each PDF is checked and moved into place atomically, and a
document that cannot be converted is reported in its result while the others
go on.

Documents of one template waiting in the queue are converted together, up to
CHUNK_DOCUMENTS in one LibreOffice load (chunks.py): LibreOffice's cost per
document is mostly fixed. Whatever a chunk cannot make is converted alone.

Starting soffice on a fresh profile costs about 2 s; a warm one then converts
a small DOCX in about 0.1 s, so workers stay up and are recycled only every
``recycle_after`` documents, to bound LibreOffice's memory (measured: a
worker's soffice.bin grows from 150 MB to 190 MB over its first 100 of our
documents and stays at 197 MB through 600).

The UNO client runs as a helper process under the system Python that has
``uno`` (Debian's ``python3-uno``), because LibreOffice's Python bindings are
built for that interpreter, not for the project's virtualenv.

LibreOffice quirks the pool works around (soffice_worker.py lists those of
one worker process):

- A load that fails is not always an exception: ``loadComponentFromURL`` may
  return None, and ``soffice --convert-to`` even exits 0. Success is judged by
  the PDF itself (soffice_worker.py).
- Without a forced import filter garbage bytes named ``.docx`` are
  type-detected as plain text and "converted" to a PDF of garbage; the worker
  forces "MS Word 2007 XML". A 0-byte file opens as a new blank document, so
  empty sources are rejected before LibreOffice sees them.
- Two soffice processes sharing a profile hand their work to the first one
  (or to the user's desktop LibreOffice), so each worker gets its own
  throwaway profile (``-env:UserInstallation``) and its own pipe name.
- ``soffice --convert-to`` (7.4) silently stops after about 250 documents
  in one process and still exits 0; a warm worker is recycled well before.
- "Warning: failed to launch javaldx" on stderr is harmless (no Java needed).

How long to wait: pool.py's DocumentTimeout. When FRESH_FAILURES_TO_STOP
fresh workers in a row fail (do not start, or hang or crash on their first
document), LibreOffice itself is broken: the pool stops, and every document
left fails at once with one message instead of waiting out two timeouts each.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import EnvironmentProblem
from pipeline.pdf.chunks import CHUNK_DOCUMENTS, SCAN_FACTOR, MergeKeys, convert_chunk
from pipeline.pdf.locate import find_soffice as find_soffice  # the commands import it from here
from pipeline.pdf.locate import find_uno_python
from pipeline.pdf.pdf_file import low_on_space
from pipeline.pdf.pool import DEFAULT_TIMEOUT, TIMEOUT_FLOOR, DocumentTimeout, JobPool, QueuedJob
from pipeline.pdf.pool import MEASURED_BEFORE_DERIVING as MEASURED_BEFORE_DERIVING
from pipeline.pdf.pool import ConversionJob as ConversionJob
from pipeline.pdf.pool import ConversionResult as ConversionResult
from pipeline.pdf.soffice_worker import (
    FOLDER_PREFIX,
    WorkerLost,
    WorkerProcess,
    convert_document,
    sweep_orphaned_folders,
)
from pipeline.store.outputs import disk_full

if TYPE_CHECKING:
    from pipeline.models import Problem
    from pipeline.pdf.converters import Converter

# The cores this process may use, which in a container can be fewer than the
# machine has.
DEFAULT_WORKERS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
FRESH_FAILURES_TO_STOP = 3
DEFAULT_RECYCLE_AFTER = 1000
STARTUP_TIMEOUT = 60.0
UNO_WORKER_SCRIPT = Path(__file__).with_name("uno_worker.py")

# "3 свежих процесса": the count is FRESH_FAILURES_TO_STOP, and the words agree with 2–4.
UNRESPONSIVE = (
    "LibreOffice не отвечает: {count} свежих процесса подряд зависли или упали (последний: {error}) "
    "— проверьте установку LibreOffice (soffice --version)"
)


def default_worker_command() -> list[str]:
    """The UNO helper under the Python that has LibreOffice's uno, driving the soffice found here."""
    return [find_uno_python(), "-I", str(UNO_WORKER_SCRIPT), "--soffice", find_soffice()]


def convert_pdfs(
    jobs: Sequence[ConversionJob],
    workers: int = DEFAULT_WORKERS,
    timeout_per_document: float = DEFAULT_TIMEOUT,
    pdfa: bool = False,
    converter: Converter | None = None,
    warnings: list[Problem] | None = None,
) -> list[ConversionResult]:
    """Convert every job's DOCX to its PDF (PDF/A-2b with `pdfa`) with `converter`
    (default: a local ConversionPool of `workers`); results in job order. The
    converter's warnings (a unoserver server down) go to `warnings`.
    EnvironmentProblem when the disk is full or no unoserver server is left."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if not jobs:
        return []
    slots = min(workers, len(jobs))
    with (
        converter.open(slots, pdfa, warnings, timeout_per_document)
        if converter
        else ConversionPool(slots, timeout_per_document, pdfa=pdfa)
    ) as pool:
        futures = [pool.submit(job) for job in jobs]
        return [future.result() for future in futures]


class ConversionPool(JobPool):
    """Warm LibreOffice workers converting submitted jobs as they come.

    Workers start at once, so that they warm up while the caller renders.
    A worker that hangs past its document's timeout (DocumentTimeout, from
    ``timeout_per_document`` and ``timeout_floor``) or crashes is killed with
    its whole process group and replaced by a fresh one (fresh profile), and
    its document is retried once; one that has converted ``recycle_after``
    documents is replaced too. FRESH_FAILURES_TO_STOP fresh workers failing in
    a row stop the pool: every job left fails at once (``stopped`` says why);
    a full disk stops it too, and every job left raises EnvironmentProblem. ``close()`` —
    also on leaving a ``with`` block, on Ctrl-C and at interpreter exit — leaves
    no process and no profile behind. ``worker_command`` replaces the UNO helper
    (tests); it is given ``--profile DIR --pipe NAME`` and must speak its protocol.
    """

    def __init__(
        self,
        workers: int = DEFAULT_WORKERS,
        timeout_per_document: float = DEFAULT_TIMEOUT,
        *,
        timeout_floor: float = TIMEOUT_FLOOR,
        recycle_after: int = DEFAULT_RECYCLE_AFTER,
        pdfa: bool = False,
        worker_command: Sequence[str] | None = None,
        chunk_documents: int = CHUNK_DOCUMENTS,
    ):
        super().__init__(workers, "soffice")
        self._command = list(worker_command or default_worker_command())
        self._timeout = DocumentTimeout(timeout_per_document, timeout_floor)
        self._recycle_after = recycle_after
        self._pdfa = pdfa
        self._chunk_documents = chunk_documents
        self._merge_keys = MergeKeys()
        self._live: set[WorkerProcess] = set()
        self._workers: list[WorkerProcess | None] = [None] * workers
        self._started_workers = 0
        self._fresh_failures = 0
        sweep_orphaned_folders()
        self._folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        self._start()

    def _open_slot(self, slot: int) -> bool:
        try:
            self._workers[slot] = self._start_worker(slot)
        except WorkerLost as err:
            self._fresh_worker_failed(str(err))  # retried when the first document comes
        except CancelledError:
            return False
        return True

    def _close_slot(self, slot: int) -> None:
        worker = self._workers[slot]
        if worker:
            self._stop_worker(worker)

    def _interrupt(self) -> None:
        with self._lock:
            live = list(self._live)
        for worker in live:
            worker.kill()

    def _release(self) -> None:
        with self._lock:
            leftover = list(self._live)
        for worker in leftover:
            self._stop_worker(worker)
        shutil.rmtree(self._folder, ignore_errors=True)

    def _gather(self, first: QueuedJob) -> list[QueuedJob]:
        """`first` and queued jobs of its merge key, taken off the queue (chunks.py):
        up to CHUNK_DOCUMENTS, and no more than a fair share of the queue, so that
        the last chunks keep every worker busy; the jobs looked past go back in their order."""
        key = self._merge_keys.key(first[0].source) if self._chunk_documents > 1 else None
        if key is None:
            return [first]
        share = -(-(self._jobs.qsize() + 1) // len(self._workers))
        limit = min(self._chunk_documents, max(2, share))
        taken, passed = [first], []
        for _ in range(SCAN_FACTOR * self._chunk_documents):
            if len(taken) == limit:
                break
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None and self._merge_keys.key(item[0].source) == key:
                taken.append(item)
            else:
                passed.append(item)
        for item in passed:
            self._jobs.put(item)
        for job, _ in taken:
            self._merge_keys.forget(job.source)
        return taken

    def _convert_all(self, slot: int, jobs: list[ConversionJob]) -> list[ConversionResult | None]:
        """One job alone; several in one merged file, each one not made by it then alone."""
        if len(jobs) == 1:
            return [self._convert(slot, jobs[0])]
        errors = self._convert_chunk(slot, jobs)
        return [
            ConversionResult(job, True, None) if error is None else self._convert(slot, job)
            for job, error in zip(jobs, errors, strict=True)
        ]

    def _convert_chunk(self, slot: int, jobs: list[ConversionJob]) -> list[str | None]:
        """Convert the jobs through one merged file (chunks.py): None for each made, else why not."""
        if self._stopped is not None:
            return [str(self._stopped)] * len(jobs)
        worker = None
        try:
            worker = self._ready_worker(slot)
            started = time.monotonic()
            merged = self._folder / f"chunk-{slot}.docx"
            errors = convert_chunk(worker, jobs, merged, self._pdfa, self._timeout.seconds())
        except WorkerLost as err:
            self._lose_worker(slot, worker)
            return [str(err)] * len(jobs)
        except EnvironmentProblem as err:
            self._stop(err)
            raise
        if not any(errors):
            self._timeout.record((time.monotonic() - started) / len(jobs))
        return errors

    def _convert(self, slot: int, job: ConversionJob) -> ConversionResult:
        """Convert on this slot's worker, replacing it once if it hangs or dies."""
        error = ""
        for _attempt in range(2):
            if self._stopped is not None:
                break
            worker = None
            try:
                worker = self._ready_worker(slot)
                return self._convert_timed(worker, job)
            except WorkerLost as err:
                error = str(err)
                self._lose_worker(slot, worker)
                if worker is None or worker.conversions == 0:
                    self._fresh_worker_failed(error)
            except EnvironmentProblem as err:
                self._stop(err)
                raise
        if self._stopped is not None:
            return self._stopped_result(job)
        return ConversionResult(job, False, error)

    def _ready_worker(self, slot: int) -> WorkerProcess:
        """The slot's worker: started if there is none, replaced after recycle_after documents."""
        worker = self._workers[slot]
        if worker and worker.conversions >= self._recycle_after:
            self._stop_worker(worker)
            worker = self._workers[slot] = None
        if worker is None:
            worker = self._workers[slot] = self._start_worker(slot)
        return worker

    def _lose_worker(self, slot: int, worker: WorkerProcess | None) -> None:
        """The slot's worker hung or died: stop it; a full disk raises EnvironmentProblem."""
        if worker:
            self._stop_worker(worker)
        self._workers[slot] = None
        self._check_space(self._folder.parent)  # soffice's profiles and temporary files

    def _convert_timed(self, worker: WorkerProcess, job: ConversionJob) -> ConversionResult:
        started = time.monotonic()
        error = convert_document(worker, job.source, job.target, self._pdfa, self._timeout.seconds())
        if error is None:
            self._timeout.record(time.monotonic() - started)
        with self._lock:
            self._fresh_failures = 0  # it answered: LibreOffice works
        return ConversionResult(job, error is None, error)

    def _fresh_worker_failed(self, error: str) -> None:
        with self._lock:
            self._fresh_failures += 1
            if self._fresh_failures < FRESH_FAILURES_TO_STOP:
                return
        self._stop(UNRESPONSIVE.format(count=FRESH_FAILURES_TO_STOP, error=error))

    def _check_space(self, folder: Path) -> None:
        """A worker lost for want of space is a full disk, not a broken LibreOffice."""
        if low_on_space(folder):
            problem = disk_full(folder)
            self._stop(problem)
            raise problem

    def _start_worker(self, slot: int) -> WorkerProcess:
        with self._lock:
            if self._cancelled:
                raise CancelledError
            if self._stopped is not None:
                raise WorkerLost(str(self._stopped))
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
