"""A full disk while writing DOCX, PDFs or print.pdf is one Russian line and
exit 3, never a traceback, 76 lines of LibreOffice store errors, or a
half-written file. On a real full disk (a 1 MB tmpfs, which needs root) where
this machine allows it; with the errors simulated everywhere else."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_convert import FakeWorker, install_fake_worker, make_jobs, requires_soffice, use_scratch, write_docx
from test_pdf_bundle import item, make_pdf

from pipeline.errors import EnvironmentProblem
from pipeline.pdf.bundle import write_merged_pdf
from pipeline.pdf.convert import ConversionJob, ConversionPool
from pipeline.store import outputs
from pipeline.store.outputs import write_atomic

ROOT = Path(__file__).resolve().parent.parent


def full_disk_message(path: Path) -> str:
    return f"нет места на диске: {path} — освободите место и запустите снова"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs mounted for the test."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True, text=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"a real full disk needs mounting a tmpfs (root): {mounted.stderr.strip() or 'mount failed'}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path, leave: int = 0) -> None:
    """Fill `disk` up, leaving about `leave` bytes (tmpfs counts in 4 KB pages)."""
    free = shutil.disk_usage(disk).free
    with (disk / "filler").open("wb") as filler:
        try:
            filler.write(b"\0" * max(free - leave, 0))
            filler.flush()
        except OSError as err:
            assert err.errno == errno.ENOSPC


@pytest.fixture
def fake_worker(tmp_path) -> FakeWorker:
    return install_fake_worker(tmp_path)


@pytest.fixture
def scratch(monkeypatch, tmp_path) -> Path:
    return use_scratch(monkeypatch, tmp_path)


def test_write_atomic_on_a_full_disk_keeps_the_old_file_and_leaves_no_temporary(small_disk):
    target = small_disk / "out" / "invoice.docx"
    target.parent.mkdir()
    target.write_bytes(b"the old invoice")
    fill(small_disk)
    with pytest.raises(EnvironmentProblem) as raised:
        write_atomic(target, b"x" * 100_000)
    assert str(raised.value) == full_disk_message(target)
    assert raised.value.exit_code == 3
    assert target.read_bytes() == b"the old invoice"
    assert os.listdir(target.parent) == ["invoice.docx"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.ENOSPC, "нет места на диске: {} — освободите место и запустите снова"),
        (errno.EDQUOT, "нет места на диске (исчерпана квота): {} — освободите место и запустите снова"),
    ],
)
def test_write_atomic_translates_a_full_disk_reported_late(tmp_path, monkeypatch, code, message):
    # NFS and quotas may report it only when the data is flushed.
    def no_space(descriptor: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(outputs.os, "fsync", no_space)
    target = tmp_path / "register.csv"
    with pytest.raises(EnvironmentProblem) as raised:
        write_atomic(target, b"data")
    assert str(raised.value) == message.format(target)
    assert os.listdir(tmp_path) == []


def test_other_write_errors_are_not_a_full_disk(tmp_path, monkeypatch):
    def denied(descriptor: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(outputs.os, "fsync", denied)
    with pytest.raises(OSError) as raised:
        write_atomic(tmp_path / "register.csv", b"data")
    assert raised.value.errno == errno.EIO and not isinstance(raised.value, EnvironmentProblem)
    assert os.listdir(tmp_path) == []


def test_print_pdf_on_a_full_disk(small_disk, tmp_path):
    letters = [item(make_pdf(tmp_path / f"in/{n}.pdf", [f"Letter {n}"], 50_000), f"ZN-{n}", str(n)) for n in range(30)]
    target = small_disk / "batches" / "print.pdf"
    fill(small_disk, leave=200_000)
    with pytest.raises(EnvironmentProblem) as raised:
        write_merged_pdf(letters, target)
    assert str(raised.value) == full_disk_message(target)
    assert os.listdir(target.parent) == []


def test_a_store_failing_on_a_full_disk_stops_the_pool(fake_worker, scratch, small_disk, tmp_path):
    sources = make_jobs(tmp_path, [b"store-fails", b"ok", b"ok"])
    jobs = [ConversionJob(job.source, small_disk / "out" / job.target.name) for job in sources]
    fill(small_disk)
    started = time.monotonic()
    with ConversionPool(1, worker_command=fake_worker.command) as pool:
        futures = [pool.submit(job) for job in jobs]
        for future in futures:
            with pytest.raises(EnvironmentProblem) as raised:
                future.result()
            assert str(raised.value) == full_disk_message(jobs[0].target)
        assert pool.stopped == full_disk_message(jobs[0].target)
    assert time.monotonic() - started < 10
    assert [name for _, name in fake_worker.conversions()] == ["doc0.docx"]
    assert os.listdir(small_disk / "out") == []
    fake_worker.assert_nothing_left(scratch)


def test_a_store_failing_with_space_left_is_the_documents_own_failure(fake_worker, scratch, tmp_path):
    jobs = make_jobs(tmp_path, [b"store-fails", b"ok"])
    with ConversionPool(1, worker_command=fake_worker.command) as pool:
        results = [future.result() for future in [pool.submit(job) for job in jobs]]
        assert pool.stopped is None
    assert [(result.ok, result.error) for result in results] == [
        (False, "LibreOffice could not write the PDF (SfxBaseModel::impl_store failed: 0x507)"),
        (True, None),
    ]


def test_a_store_failing_on_a_disk_said_to_be_full(fake_worker, scratch, tmp_path, monkeypatch):
    # Where no tmpfs can be mounted: the same, with the free space faked.
    real_usage = shutil.disk_usage

    def no_space_under_pdf(path: str | Path) -> shutil._ntuple_diskusage:
        usage = real_usage(path)
        return usage._replace(free=0) if Path(path).name == "pdf" else usage

    monkeypatch.setattr(shutil, "disk_usage", no_space_under_pdf)
    [job] = make_jobs(tmp_path, [b"store-fails"])
    with ConversionPool(1, worker_command=fake_worker.command) as pool, pytest.raises(EnvironmentProblem) as raised:
        pool.submit(job).result()
    assert str(raised.value) == full_disk_message(job.target)
    fake_worker.assert_nothing_left(scratch)


@pytest.mark.libreoffice
@requires_soffice
def test_libreoffice_on_a_full_disk(small_disk, tmp_path):
    write_docx(tmp_path / "invoice.docx", "Счёт на оплату № 147")
    target = small_disk / "out" / "invoice.pdf"
    target.parent.mkdir()
    fill(small_disk)
    with ConversionPool(1) as pool, pytest.raises(EnvironmentProblem) as raised:
        pool.submit(ConversionJob(tmp_path / "invoice.docx", target)).result()
    assert str(raised.value) == full_disk_message(target)
    assert os.listdir(target.parent) == []  # neither the partial PDF nor LibreOffice's lock file of it


@pytest.mark.libreoffice
@requires_soffice
@pytest.mark.parametrize(
    ("leave", "made"),
    [
        pytest.param(0, ".lock", id="no room at all"),
        pytest.param(8_192, "ZN-2026-0180/invoice.docx", id="room for the lock file only"),
        pytest.param(40_000, "ZN-2026-0180/invoice.pdf", id="room for the DOCX only"),
    ],
)
def test_a_build_on_a_full_disk_says_so_in_one_line_and_exits_3(small_disk, leave, made):
    out = small_disk / "out"
    fill(small_disk, leave)
    build = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "cases/kuznetsov-paid.yaml", "--as-of", "2026-11-23"]
        # The invoice alone: no journal (the journal's own full disk is test_journal_safety_errors.py's).
        + ["--out", str(out), "--only", "invoice", "--state", str(small_disk.parent / "state")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (build.returncode, build.stderr.splitlines()) == (3, [f"ошибка: {full_disk_message(out / made)}"])


def test_outputs_are_readable_by_the_group_as_the_umask_allows(tmp_path):
    from pipeline.store.outputs import _umask, write_atomic

    _umask.cache_clear()
    previous = os.umask(0o002)
    try:
        write_atomic(tmp_path / "register.csv", b"x")
    finally:
        os.umask(previous)
        _umask.cache_clear()
    # 0666 less the umask 0002: the manager's colleagues in the group can read and print it.
    assert (tmp_path / "register.csv").stat().st_mode & 0o777 == 0o664
