"""What every PDF converter shares: a job and its result, how long one
document may take, and the pool itself — jobs submitted one at a time into
one queue, taken by a thread per slot (a local LibreOffice worker in
convert.py, a unoserver server in remote.py), each job's future resolved with
its result; cancelled on Ctrl-C, stopped when the converter is broken, closed
leaving nothing behind.

How long to wait: a document's timeout is ``timeout_per_document`` until
MEASURED_BEFORE_DERIVING documents have converted, then TIMEOUT_FACTOR times
the median of the last MEASURED_KEPT conversions, never below the floor
(a warm LibreOffice converts one of our letters in 0.1–0.5 s: the floor rules).
"""

from __future__ import annotations

import atexit
import queue
import statistics
import threading
from abc import ABC, abstractmethod
from collections import deque
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import EnvironmentProblem

DEFAULT_TIMEOUT = 60.0  # a document's timeout before any conversion has been measured
TIMEOUT_FLOOR = 15.0
TIMEOUT_FACTOR = 10.0
MEASURED_BEFORE_DERIVING = 5
MEASURED_KEPT = 50


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


class DocumentTimeout:
    """How long one document may take: `configured` until MEASURED_BEFORE_DERIVING
    conversions have been measured, then TIMEOUT_FACTOR × the median of the last
    MEASURED_KEPT, never below `floor`. Safe to share between threads."""

    def __init__(self, configured: float, floor: float = TIMEOUT_FLOOR):
        self._configured = configured
        self._floor = floor
        self._measured: deque[float] = deque(maxlen=MEASURED_KEPT)
        self._lock = threading.Lock()

    def record(self, seconds: float) -> None:
        """One successful conversion took `seconds`."""
        with self._lock:
            self._measured.append(seconds)

    def seconds(self) -> float:
        with self._lock:
            if len(self._measured) < MEASURED_BEFORE_DERIVING:
                return self._configured
            return max(self._floor, TIMEOUT_FACTOR * statistics.median(self._measured))


QueuedJob = tuple[ConversionJob, "Future[ConversionResult]"]


class JobPool(ABC):
    """Jobs converted as they come by one thread per slot.

    A subclass sets up its own state, then calls ``_start()``; it says how a
    slot opens (``_open_slot``: False ends its thread), converts a job
    (``_convert``: a result, or None to give the job back to the other slots),
    whether it goes on (``_slot_alive``) and closes (``_close_slot``), and how
    the work in flight is cut short (``_interrupt``) and everything released
    (``_release``). ``_stop(reason)`` gives up: every job in flight, waiting or
    submitted later fails at once with `reason`, or raises it when it is an
    EnvironmentProblem (a full disk, no server left). ``close()`` — also on
    leaving a ``with`` block, on Ctrl-C and at interpreter exit — ends every
    thread and releases everything.
    """

    def __init__(self, slots: int, thread_name: str):
        if slots < 1:
            raise ValueError(f"workers must be at least 1, not {slots}")
        self._jobs: queue.SimpleQueue[QueuedJob | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._stopped: str | EnvironmentProblem | None = None
        self._cancelled = False
        self._closed = False
        self._threads = [
            threading.Thread(target=self._serve, args=(slot,), name=f"{thread_name}-{slot}", daemon=True)
            for slot in range(slots)
        ]

    def _start(self) -> None:
        _OPEN_POOLS.add(self)
        for thread in self._threads:
            thread.start()

    def __enter__(self) -> JobPool:
        return self

    def __exit__(self, exc_type: object, exc: object, traceback: object) -> None:
        self.close(cancel=exc_type is not None)

    @property
    def stopped(self) -> str | None:
        """Why the pool gave up, if it did: every job left fails with this message."""
        return None if self._stopped is None else str(self._stopped)

    def submit(self, job: ConversionJob) -> Future[ConversionResult]:
        """Queue one job; its future resolves to a ConversionResult, or raises
        CancelledError (cancelled) or EnvironmentProblem (the disk is full, no server is left)."""
        if self._closed:
            raise RuntimeError(f"submit() on a closed {type(self).__name__}")
        future: Future[ConversionResult] = Future()
        problem = check_source(job.source)
        if problem:
            future.set_result(ConversionResult(job, False, problem))
        else:
            self._give_back((job, future))
        return future

    def close(self, cancel: bool = False) -> None:
        """Finish the queued jobs (or, with ``cancel``, drop them and cut the
        work in flight short), then end every thread and release everything."""
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
            self._drop_waiting()  # given back after the last thread ended: nobody will take them
            self._release()
            _OPEN_POOLS.discard(self)

    def _cancel(self) -> None:
        with self._lock:
            self._cancelled = True
        self._interrupt()
        self._drop_waiting()

    def _drop_waiting(self) -> None:
        while True:
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                return
            if item is not None and not item[1].cancel() and not item[1].done():
                item[1].set_exception(CancelledError())  # given back while running: cannot be cancelled

    def _stop(self, reason: str | EnvironmentProblem) -> None:
        """Give up: cut the work in flight short; the jobs in flight, waiting or
        submitted later fail at once with `reason` (raise it, for an EnvironmentProblem)."""
        with self._lock:
            if self._stopped is None:
                self._stopped = reason
        self._interrupt()

    def _fail_waiting(self) -> None:
        """Resolve every job waiting in the queue with the reason the pool stopped
        (when no thread is left to take them)."""
        while True:
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                return
            if item is not None and _start(item[1]):
                self._resolve_stopped(item)

    def _stopped_result(self, job: ConversionJob) -> ConversionResult:
        if isinstance(self._stopped, EnvironmentProblem):
            raise EnvironmentProblem(str(self._stopped))
        return ConversionResult(job, False, self._stopped)

    def _resolve_stopped(self, item: QueuedJob) -> None:
        job, future = item
        try:
            future.set_result(self._stopped_result(job))
        except EnvironmentProblem as err:
            future.set_exception(err)

    def _give_back(self, item: QueuedJob) -> None:
        """Queue a job, new or handed back by a slot that cannot convert it; once
        the pool has stopped, resolve it at once (no thread may be left to take it)."""
        with self._lock:
            if self._stopped is None:
                self._jobs.put(item)
                return
        self._resolve_stopped(item)

    def _serve(self, slot: int) -> None:
        try:
            if not self._open_slot(slot):
                return
            while (item := self._jobs.get()) is not None:
                # A job given back by another slot is running already.
                items = [taken for taken in self._gather(item) if _start(taken[1])]
                if items and not self._serve_items(slot, items):
                    return
        finally:
            self._close_slot(slot)

    def _serve_items(self, slot: int, items: list[QueuedJob]) -> bool:
        """Convert the items on the slot and resolve their futures; False when the slot ends."""
        try:
            results = self._convert_all(slot, [job for job, _ in items])
        except CancelledError as err:
            for _, future in items:
                future.set_exception(err)
            return False
        except Exception as err:  # a full disk; or a bug, which must reach the caller, not hang it
            for _, future in items:
                future.set_exception(err)
        else:
            for taken, result in zip(items, results, strict=True):
                if result is None:
                    self._give_back(taken)
                else:
                    taken[1].set_result(result)
        return self._slot_alive(slot)

    def _gather(self, first: QueuedJob) -> list[QueuedJob]:
        """The queued jobs to convert together with `first` (taken off the queue), `first` leading."""
        return [first]

    def _convert_all(self, slot: int, jobs: list[ConversionJob]) -> list[ConversionResult | None]:
        """Convert the jobs `_gather` took together; a result (or None) for each."""
        return [self._convert(slot, job) for job in jobs]

    @abstractmethod
    def _open_slot(self, slot: int) -> bool:
        """Get the slot ready before its first job; False when it can take none."""

    @abstractmethod
    def _convert(self, slot: int, job: ConversionJob) -> ConversionResult | None:
        """Convert one job on the slot: its result, or None to give it back to the other slots."""

    def _slot_alive(self, slot: int) -> bool:
        """Whether the slot takes another job."""
        return True

    @abstractmethod
    def _close_slot(self, slot: int) -> None:
        """The slot's thread ends."""

    @abstractmethod
    def _interrupt(self) -> None:
        """Cut every conversion in flight short (Ctrl-C, a stop)."""

    @abstractmethod
    def _release(self) -> None:
        """After the last thread: leave nothing behind."""


def _start(future: Future[ConversionResult]) -> bool:
    """Mark a job's future running (given back by another slot, it is already); False when it was cancelled."""
    return future.running() or future.set_running_or_notify_cancel()


def check_source(source: Path) -> str | None:
    """Why a source cannot be converted before LibreOffice sees it, if it cannot."""
    try:
        if source.stat().st_size == 0:
            return "the file is empty"
        with source.open("rb"):
            pass
    except OSError as err:
        return f"cannot read the file: {err.strerror or err}"
    return None


_OPEN_POOLS: set[JobPool] = set()


@atexit.register
def _cancel_open_pools() -> None:
    for pool in list(_OPEN_POOLS):
        pool.close(cancel=True)
