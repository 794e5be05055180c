"""The DOCX → PDF stage: real LibreOffice conversions (marked `libreoffice`),
plus a fake worker that hangs or crashes, to test timeouts, restarts,
retries, recycling and killing."""

from __future__ import annotations

import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdf
import pytest

from pipeline.errors import EnvironmentProblem
from pipeline.pdf import locate
from pipeline.pdf.convert import (
    ConversionJob,
    ConversionPool,
    ConversionResult,
    convert_pdfs,
    find_soffice,
)
from pipeline.pdf.soffice_worker import pipe_sockets


def soffice_installed() -> bool:
    try:
        find_soffice()
    except EnvironmentProblem:
        return False
    return True


requires_soffice = pytest.mark.skipif(not soffice_installed(), reason="LibreOffice (soffice) is not installed")

# Source name (relative to the sources folder) → the text written into it.
# Two `invoice.docx` from different folders must not overwrite each other.
GOOD_DOCUMENTS = {
    "ivanov/invoice.docx": "Счёт на оплату № 147",
    "petrov/invoice.docx": "Счёт на оплату № 148",
    "ivanov/refusal_act.docx": "Акт об отказе от оплаты",
    "sidorov/pretension.docx": "Претензия о взыскании неустойки",
}
# Without a forced import filter LibreOffice would "convert" the text-like
# one into a PDF of its bytes; the other is a ZIP cut short.
GARBAGE_DOCX = {
    "broken/garbage.docx": "Это не документ Word \x00\x01 garbage ".encode() * 40,
    "broken/truncated.docx": b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4,
}
EMPTY_DOCX = "broken/empty.docx"


def write_docx(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    document.add_heading(text, level=1)
    document.add_paragraph("Заказчик: Иванов Иван Иванович, госномер А123ВС 77.")
    document.save(str(path))


def target_for(sources: Path, name: str) -> Path:
    return sources.parent / "pdf" / Path(name).with_suffix(".pdf")


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def processes_mentioning(text: str) -> list[int]:
    """Pids of live processes whose command line contains `text` (zombies have none)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if text.encode() in cmdline:
            pids.append(int(entry.name))
    return pids


def is_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # A killed child reparented to a PID 1 that never reaps stays a zombie.
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@dataclass(frozen=True)
class Conversion:
    sources: Path
    scratch: Path
    results: list[ConversionResult]
    pool_folders: list[Path]

    def result_for(self, name: str) -> ConversionResult:
        source = self.sources / name
        return next(result for result in self.results if result.job.source == source)


@pytest.fixture(scope="module")
def conversion(tmp_path_factory: pytest.TempPathFactory) -> Conversion:
    """One real run with 2 workers over good, garbage and empty DOCX files;
    the profiles go under `scratch` so that tests can look for leftovers."""
    root = tmp_path_factory.mktemp("convert")
    sources, scratch = root / "sources", root / "scratch"
    scratch.mkdir()
    for name, text in GOOD_DOCUMENTS.items():
        write_docx(sources / name, text)
    (sources / "broken").mkdir()
    for name, content in GARBAGE_DOCX.items():
        (sources / name).write_bytes(content)
    (sources / EMPTY_DOCX).write_bytes(b"")
    names = [*GOOD_DOCUMENTS, *GARBAGE_DOCX, EMPTY_DOCX]
    jobs = [ConversionJob(sources / name, target_for(sources, name)) for name in names]
    pool_folders: list[Path] = []
    make_folder = tempfile.mkdtemp

    def recording_mkdtemp(*args, **kwargs) -> str:
        pool_folders.append(Path(make_folder(*args, **kwargs)))
        return str(pool_folders[-1])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(scratch))
        patch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
        results = convert_pdfs(jobs, workers=2)
    assert [result.job for result in results] == jobs
    return Conversion(sources, scratch, results, pool_folders)


@pytest.mark.libreoffice
@requires_soffice
@pytest.mark.parametrize("name", GOOD_DOCUMENTS)
def test_each_good_docx_becomes_a_pdf_with_its_text(conversion: Conversion, name: str):
    result = conversion.result_for(name)
    target = target_for(conversion.sources, name)
    assert result == ConversionResult(result.job, True, None)
    assert target.read_bytes().startswith(b"%PDF-")
    text = pdf_text(target)
    assert GOOD_DOCUMENTS[name] in text
    assert "Иванов Иван Иванович" in text


@pytest.mark.libreoffice
@requires_soffice
@pytest.mark.parametrize("name", GARBAGE_DOCX)
def test_garbage_docx_fails_alone(conversion: Conversion, name: str):
    result = conversion.result_for(name)
    assert not result.ok
    assert result.error == "LibreOffice could not open it as a DOCX (damaged or not a Word file)"
    assert not target_for(conversion.sources, name).exists()
    assert sum(other.ok for other in conversion.results) == len(GOOD_DOCUMENTS)


@pytest.mark.libreoffice
@requires_soffice
def test_empty_docx_fails_instead_of_becoming_a_blank_pdf(conversion: Conversion):
    result = conversion.result_for(EMPTY_DOCX)
    assert (result.ok, result.error) == (False, "the file is empty")
    assert not target_for(conversion.sources, EMPTY_DOCX).exists()


@pytest.mark.libreoffice
@requires_soffice
def test_no_soffice_or_profile_outlives_the_call(conversion: Conversion):
    assert processes_mentioning(str(conversion.scratch)) == []
    assert list(conversion.scratch.iterdir()) == []
    assert not list((conversion.sources.parent / "pdf").rglob("*.part"))


@pytest.mark.libreoffice
@requires_soffice
def test_no_pipe_socket_of_a_killed_soffice_is_left_in_tmp(conversion: Conversion):
    # soffice makes its pipes in /tmp whatever TMPDIR says, and a killed one cannot remove them.
    [folder] = conversion.pool_folders
    assert sorted(Path("/tmp").glob(f"OSL_PIPE_*_{folder.name}-*")) == []
    profiles = [folder / name / "profile" for name in ("w0-1", "w0-2", "w1-1", "w1-2")]
    assert [socket for profile in profiles for socket in pipe_sockets(profile, "-") if socket.exists()] == []


def test_missing_soffice_raises_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(locate, "SOFFICE_FALLBACKS", (str(tmp_path / "opt/libreoffice*/program/soffice"),))
    with pytest.raises(EnvironmentProblem) as raised:
        convert_pdfs([ConversionJob(tmp_path / "a.docx", tmp_path / "a.pdf")], workers=2)
    assert "sudo apt-get install libreoffice-writer-nogui python3-uno fonts-liberation2" in str(raised.value)


def test_missing_uno_python_raises_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setattr(locate, "UNO_PYTHONS", (str(tmp_path / "no-such-python3"), sys.executable))
    with pytest.raises(EnvironmentProblem) as raised:
        locate.find_uno_python()
    assert str(raised.value) == (
        "LibreOffice's Python bindings (uno) are not installed, so PDFs cannot be made. "
        "Install them: sudo apt-get install libreoffice-writer-nogui python3-uno fonts-liberation2"
    )


# A stand-in for uno_worker.py speaking its protocol: "converts" a file
# holding b"ok" into a tiny PDF, answers a load failure for b"garbage" and a
# store failure for b"store-fails", hangs on b"hang", crashes on b"crash", and
# hangs on b"hang-once" only the first time. It starts a child (standing in for soffice) that must die with it,
# and logs "<pid> <child pid> start" and "<pid> <source name>" lines.
FAKE_WORKER = """\
import json, os, subprocess, sys, time
args = sys.argv[1:]
profile = args[args.index("--profile") + 1]
os.makedirs(profile)
log = os.path.join(os.path.dirname(sys.argv[0]), "calls.log")
def note(text):
    with open(log, "a") as calls:
        calls.write(f"{os.getpid()} {text}\\n")
child = subprocess.Popen(["sleep", "300"])
note(f"{child.pid} start")
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    note(os.path.basename(request["source"]))
    content = open(request["source"], "rb").read()
    if content == b"garbage":
        print(json.dumps({"ok": False, "error": "LibreOffice could not open it as a DOCX"}), flush=True)
        continue
    if content == b"store-fails":
        error = "LibreOffice could not write the PDF (SfxBaseModel::impl_store failed: 0x507)"
        print(json.dumps({"ok": False, "error": error, "stage": "store"}), flush=True)
        continue
    if content == b"hang" or (content == b"hang-once" and not os.path.exists(log + ".hung")):
        open(log + ".hung", "w").close()
        time.sleep(300)
    if content == b"crash":
        sys.stderr.write("Fatal exception: Signal 6\\n")
        os._exit(134)
    with open(request["target"], "wb") as pdf:
        pdf.write(b"%PDF-1.4\\n%%EOF\\n")
    print(json.dumps({"ok": True, "error": None}), flush=True)
"""


@dataclass(frozen=True)
class FakeWorker:
    script: Path

    @property
    def command(self) -> list[str]:
        return [sys.executable, str(self.script)]

    def log(self) -> list[tuple[int, str]]:
        path = self.script.parent / "calls.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [(int(pid), text) for pid, text in (line.split(" ", 1) for line in lines)]

    def conversions(self) -> list[tuple[int, str]]:
        return [(pid, text) for pid, text in self.log() if not text.endswith(" start")]

    def started(self) -> list[int]:
        return [pid for pid, text in self.log() if text.endswith(" start")]

    def children(self) -> list[int]:
        return [int(text.split()[0]) for _, text in self.log() if text.endswith(" start")]

    def assert_nothing_left(self, scratch: Path) -> None:
        assert processes_mentioning(str(self.script)) == []
        assert processes_mentioning(str(scratch)) == []
        # A SIGKILLed child takes a moment to die on a loaded machine: wait for it, a little.
        deadline = time.monotonic() + 5
        while any(is_alive(pid) for pid in self.children()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in self.children() if is_alive(pid)] == []
        assert list(scratch.iterdir()) == []


def install_fake_worker(tmp_path: Path) -> FakeWorker:
    script = tmp_path / "bin" / "fake_worker.py"
    script.parent.mkdir()
    script.write_text(FAKE_WORKER)
    return FakeWorker(script)


def use_scratch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Where the pool makes its folders, so that tests can look for leftovers."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def fake_worker(tmp_path) -> FakeWorker:
    return install_fake_worker(tmp_path)


@pytest.fixture
def scratch(monkeypatch, tmp_path) -> Path:
    return use_scratch(monkeypatch, tmp_path)


def make_jobs(tmp_path: Path, contents: list[bytes]) -> list[ConversionJob]:
    jobs = []
    for number, content in enumerate(contents):
        source = tmp_path / f"doc{number}.docx"
        source.write_bytes(content)
        jobs.append(ConversionJob(source, tmp_path / "pdf" / f"doc{number}.pdf"))
    return jobs


def convert_with(fake_worker: FakeWorker, jobs: list[ConversionJob], **options) -> list[ConversionResult]:
    with ConversionPool(worker_command=fake_worker.command, **options) as pool:
        futures = [pool.submit(job) for job in jobs]
        return [future.result() for future in futures]


def outcomes(results: list[ConversionResult]) -> list[tuple[bool, str | None]]:
    return [(result.ok, result.error) for result in results]


def test_hung_worker_is_killed_restarted_and_its_document_retried_once(fake_worker, scratch, tmp_path):
    jobs = make_jobs(tmp_path, [b"ok", b"hang", b"ok"])
    results = convert_with(fake_worker, jobs, workers=1, timeout_per_document=1)
    assert outcomes(results) == [(True, None), (False, "LibreOffice did not finish within 1 s"), (True, None)]
    assert [job.target.exists() for job in jobs] == [True, False, True]
    # The first worker hangs on doc1, its replacement hangs on the retry, the third converts doc2.
    first, second, third = fake_worker.started()
    assert fake_worker.conversions() == [
        (first, "doc0.docx"),
        (first, "doc1.docx"),
        (second, "doc1.docx"),
        (third, "doc2.docx"),
    ]
    assert not list((tmp_path / "pdf").glob(".*.part"))
    fake_worker.assert_nothing_left(scratch)


def test_a_document_that_hangs_only_once_succeeds_on_its_retry(fake_worker, scratch, tmp_path):
    jobs = make_jobs(tmp_path, [b"hang-once", b"ok"])
    results = convert_with(fake_worker, jobs, workers=1, timeout_per_document=1)
    assert outcomes(results) == [(True, None), (True, None)]
    first, second = fake_worker.started()
    assert fake_worker.conversions() == [(first, "doc0.docx"), (second, "doc0.docx"), (second, "doc1.docx")]
    fake_worker.assert_nothing_left(scratch)


def test_crashed_worker_is_restarted_and_its_document_retried_once(fake_worker, scratch, tmp_path):
    jobs = make_jobs(tmp_path, [b"ok", b"crash", b"ok"])
    results = convert_with(fake_worker, jobs, workers=1, timeout_per_document=5)
    assert outcomes(results) == [
        (True, None),
        (False, "LibreOffice stopped with exit code 134 (Fatal exception: Signal 6)"),
        (True, None),
    ]
    assert [name for _, name in fake_worker.conversions()] == ["doc0.docx", "doc1.docx", "doc1.docx", "doc2.docx"]
    assert len(fake_worker.started()) == 3
    fake_worker.assert_nothing_left(scratch)


def test_a_document_the_worker_cannot_load_fails_alone_without_a_restart(fake_worker, scratch, tmp_path):
    jobs = make_jobs(tmp_path, [b"garbage", b"", b"ok"])
    results = convert_with(fake_worker, jobs, workers=1)
    assert outcomes(results) == [
        (False, "LibreOffice could not open it as a DOCX"),
        (False, "the file is empty"),
        (True, None),
    ]
    assert len(fake_worker.started()) == 1
    fake_worker.assert_nothing_left(scratch)


def test_workers_are_recycled_after_the_given_number_of_documents(fake_worker, scratch, tmp_path):
    jobs = make_jobs(tmp_path, [b"ok"] * 5)
    results = convert_with(fake_worker, jobs, workers=1, recycle_after=2)
    assert all(result.ok for result in results)
    first, second, third = fake_worker.started()
    assert [pid for pid, _ in fake_worker.conversions()] == [first, first, second, second, third]
    fake_worker.assert_nothing_left(scratch)


def test_workers_start_before_the_first_document_is_submitted(fake_worker, scratch, tmp_path):
    with ConversionPool(workers=2, worker_command=fake_worker.command):
        deadline = time.monotonic() + 10
        while len(fake_worker.started()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(fake_worker.started()) == 2
    fake_worker.assert_nothing_left(scratch)


def interrupt_once_converting(fake_worker: FakeWorker, main_thread: int, conversions: int) -> None:
    """Send Ctrl-C to the main thread, the only one Python delivers it to,
    once the workers have received `conversions` documents."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if len(fake_worker.conversions()) >= conversions:
            signal.pthread_kill(main_thread, signal.SIGINT)
            return
        time.sleep(0.05)


def test_ctrl_c_kills_every_worker_at_once(fake_worker, scratch, tmp_path):
    jobs = make_jobs(tmp_path, [b"hang", b"hang", b"ok", b"ok"])
    main_thread = threading.main_thread().ident
    assert main_thread is not None
    threading.Thread(target=interrupt_once_converting, args=(fake_worker, main_thread, 2)).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        convert_with(fake_worker, jobs, workers=2, timeout_per_document=30)
    assert time.monotonic() - started < 10
    assert len(fake_worker.started()) == 2
    fake_worker.assert_nothing_left(scratch)
    assert not (tmp_path / "pdf").exists() or not list((tmp_path / "pdf").iterdir())


def test_submit_after_close_is_refused(fake_worker, scratch, tmp_path):
    pool = ConversionPool(workers=1, worker_command=fake_worker.command)
    pool.close()
    with pytest.raises(RuntimeError):
        pool.submit(make_jobs(tmp_path, [b"ok"])[0])
    fake_worker.assert_nothing_left(scratch)
