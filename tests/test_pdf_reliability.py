"""The PDF stage when LibreOffice misbehaves, with the fake worker of
test_convert.py: the timeout a document gets once conversions have been
measured, and the pool giving up when fresh workers fail in a row, so that a
hung LibreOffice costs seconds, not two timeouts per document."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from test_convert import FakeWorker, install_fake_worker, make_jobs, outcomes, use_scratch

from pipeline.pdf.convert import (
    MEASURED_BEFORE_DERIVING,
    ConversionJob,
    ConversionPool,
    ConversionResult,
    DocumentTimeout,
)

STOPPED = (
    "LibreOffice не отвечает: 3 свежих процесса подряд зависли или упали (последний: {error}) "
    "— проверьте установку LibreOffice (soffice --version)"
)


@pytest.fixture
def fake_worker(tmp_path) -> FakeWorker:
    return install_fake_worker(tmp_path)


@pytest.fixture
def scratch(monkeypatch, tmp_path) -> Path:
    return use_scratch(monkeypatch, tmp_path)


def run_pool(command: list[str], jobs: list[ConversionJob], **options) -> tuple[list[ConversionResult], str | None]:
    with ConversionPool(worker_command=command, **options) as pool:
        futures = [pool.submit(job) for job in jobs]
        return [future.result() for future in futures], pool.stopped


def test_the_timeout_is_the_configured_one_until_enough_conversions_are_measured():
    timeout = DocumentTimeout(60, floor=15)
    for _ in range(MEASURED_BEFORE_DERIVING - 1):
        timeout.record(0.2)
    assert timeout.seconds() == 60
    timeout.record(0.2)
    assert timeout.seconds() == 15  # 10 × 0.2 s is below the floor
    for _ in range(100):
        timeout.record(3.0)  # LibreOffice got slower: the last 50 count
    assert timeout.seconds() == 30


def test_once_measured_a_hang_is_cut_at_the_derived_timeout(fake_worker, scratch, tmp_path):
    jobs = make_jobs(tmp_path, [b"ok"] * MEASURED_BEFORE_DERIVING + [b"hang", b"ok"])
    started = time.monotonic()
    results, stopped = run_pool(fake_worker.command, jobs, workers=1, timeout_per_document=30, timeout_floor=0.5)
    assert time.monotonic() - started < 15  # not 2 × 30 s
    assert outcomes(results) == [(True, None)] * MEASURED_BEFORE_DERIVING + [
        (False, "LibreOffice did not finish within 0.5 s"),
        (True, None),
    ]
    assert stopped is None  # one fresh worker failed, then the next one converted
    fake_worker.assert_nothing_left(scratch)


def test_three_fresh_workers_failing_in_a_row_stop_the_pool_and_the_rest_fail_at_once(fake_worker, scratch, tmp_path):
    *jobs, after_the_stop = make_jobs(tmp_path, [b"hang"] * 10 + [b"ok"])
    started = time.monotonic()
    with ConversionPool(1, 1, worker_command=fake_worker.command) as pool:
        futures = [pool.submit(job) for job in jobs]
        results = [future.result() for future in futures]
        late = pool.submit(after_the_stop).result(timeout=5)
        stopped = pool.stopped
    # Without stopping: 10 documents × 2 attempts × 1 s.
    assert time.monotonic() - started < 10
    message = STOPPED.format(error="LibreOffice did not finish within 1 s")
    assert stopped == message
    assert outcomes(results) == [(False, "LibreOffice did not finish within 1 s")] + [(False, message)] * 9
    assert (late.ok, late.error) == (False, message)
    # The first worker and its replacement hung on doc0, a third on doc1; none after.
    assert len(fake_worker.started()) == 3
    assert [name for _, name in fake_worker.conversions()] == ["doc0.docx", "doc0.docx", "doc1.docx"]
    fake_worker.assert_nothing_left(scratch)


def test_with_two_workers_the_stop_kills_the_other_one_at_once(fake_worker, scratch, tmp_path):
    jobs = make_jobs(tmp_path, [b"hang"] * 8)
    started = time.monotonic()
    results, stopped = run_pool(fake_worker.command, jobs, workers=2, timeout_per_document=2)
    assert time.monotonic() - started < 10  # not 8 × 2 × 2 s / 2 workers
    assert stopped == STOPPED.format(error="LibreOffice did not finish within 2 s")
    assert not any(result.ok for result in results)
    assert sum(result.error == stopped for result in results) >= 6
    assert len(fake_worker.started()) <= 4
    fake_worker.assert_nothing_left(scratch)


def test_a_libreoffice_that_cannot_start_stops_the_pool_after_three_tries(scratch, tmp_path):
    crashing = [sys.executable, "-c", "import sys; sys.stderr.write('cannot open display\\n'); sys.exit(1)"]
    jobs = make_jobs(tmp_path, [b"ok"] * 5)
    started = time.monotonic()
    results, stopped = run_pool(crashing, jobs, workers=1)
    assert time.monotonic() - started < 10
    message = STOPPED.format(error="LibreOffice stopped with exit code 1 (cannot open display)")
    assert (stopped, outcomes(results)) == (message, [(False, message)] * 5)
    assert list(scratch.iterdir()) == []


def test_an_answer_in_between_resets_the_count(fake_worker, scratch, tmp_path):
    # doc0 fails on two fresh workers; doc1 is answered (it cannot be loaded):
    # LibreOffice works, so doc2's failure on a fresh worker is the first again.
    jobs = make_jobs(tmp_path, [b"hang", b"garbage", b"hang", b"ok"])
    results, stopped = run_pool(fake_worker.command, jobs, workers=1, timeout_per_document=1)
    assert stopped is None
    assert outcomes(results) == [
        (False, "LibreOffice did not finish within 1 s"),
        (False, "LibreOffice could not open it as a DOCX"),
        (False, "LibreOffice did not finish within 1 s"),
        (True, None),
    ]
    fake_worker.assert_nothing_left(scratch)
