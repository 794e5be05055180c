"""The DOCX → PDF stage: real LibreOffice conversions (marked `libreoffice`),
plus a fake soffice that hangs, to test timeouts, retries and killing."""

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

from pipeline import convert
from pipeline.convert import (
    ConversionJob,
    ConversionResult,
    convert_pdfs,
    find_soffice,
    raise_for_failures,
)
from pipeline.errors import EnvironmentProblem


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
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(scratch))
        results = convert_pdfs(jobs, workers=2)
    assert [result.job for result in results] == jobs
    return Conversion(sources, scratch, results)


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


def test_missing_soffice_raises_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(convert, "SOFFICE_FALLBACKS", (str(tmp_path / "opt/libreoffice*/program/soffice"),))
    with pytest.raises(EnvironmentProblem) as raised:
        convert_pdfs([ConversionJob(tmp_path / "a.docx", tmp_path / "a.pdf")], workers=2)
    assert "apt-get install libreoffice-writer-nogui fonts-liberation2" in str(raised.value)


# A stand-in for soffice: "converts" a file holding b"ok" into a tiny PDF,
# hangs halfway through the PDF of one holding b"hang" and crashes on
# b"crash"; it starts a child process that must die with it.
FAKE_SOFFICE = """\
import os, subprocess, sys, time
args = sys.argv[1:]
outdir = args[args.index("--outdir") + 1]
sources = args[args.index("--outdir") + 2:]
log = os.path.join(os.path.dirname(sys.argv[0]), "calls.log")
child = subprocess.Popen(["sleep", "300"])
with open(log, "a") as calls:
    calls.write(f"{child.pid} " + " ".join(os.path.basename(s) for s in sources) + "\\n")
for source in sources:
    stem = os.path.splitext(os.path.basename(source))[0]
    with open(source, "rb") as stream, open(os.path.join(outdir, stem + ".pdf"), "wb") as pdf:
        pdf.write(b"%PDF-1.4\\n")
        content = stream.read()
        if content == b"hang":
            pdf.flush()
            time.sleep(300)
        if content == b"crash":
            sys.stderr.write("Fatal exception: Signal 6\\n")
            os._exit(134)
        pdf.write(b"%%EOF\\n")
child.kill()
"""


@pytest.fixture
def fake_soffice(monkeypatch, tmp_path) -> Path:
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(f"#!{sys.executable}\n{FAKE_SOFFICE}")
    script.chmod(0o755)
    monkeypatch.setattr(convert, "find_soffice", lambda: str(script))
    return script


def make_jobs(tmp_path: Path, contents: list[bytes]) -> list[ConversionJob]:
    jobs = []
    for number, content in enumerate(contents):
        source = tmp_path / f"doc{number}.docx"
        source.write_bytes(content)
        jobs.append(ConversionJob(source, tmp_path / "pdf" / f"doc{number}.pdf"))
    return jobs


def logged_calls(fake_soffice: Path) -> list[tuple[int, list[str]]]:
    lines = (fake_soffice.parent / "calls.log").read_text().splitlines()
    return [(int(line.split()[0]), line.split()[1:]) for line in lines]


def test_hung_chunk_is_killed_and_its_unconverted_documents_retried_one_by_one(fake_soffice, tmp_path):
    jobs = make_jobs(tmp_path, [b"ok", b"hang", b"ok"])
    results = convert_pdfs(jobs, workers=1, timeout_per_document=1)
    assert [(result.ok, result.error) for result in results] == [
        (True, None),
        (False, "LibreOffice did not finish within 1 s"),
        (True, None),
    ]
    assert [job.target.exists() for job in jobs] == [True, False, True]
    calls = logged_calls(fake_soffice)
    assert [sources for _, sources in calls] == [["0.docx", "1.docx", "2.docx"], ["1.docx"], ["2.docx"]]
    assert processes_mentioning(str(fake_soffice)) == []
    assert [child for child, _ in calls if is_alive(child)] == []


def test_crashed_chunk_has_its_unconverted_documents_retried_one_by_one(fake_soffice, tmp_path):
    jobs = make_jobs(tmp_path, [b"ok", b"crash", b"ok"])
    # The fake's child outlives the crash; waiting for it would hit the timeout.
    results = convert_pdfs(jobs, workers=1, timeout_per_document=5)
    assert [(result.ok, result.error) for result in results] == [
        (True, None),
        (False, "LibreOffice stopped with exit code 134 (Fatal exception: Signal 6)"),
        (True, None),
    ]
    calls = logged_calls(fake_soffice)
    assert [sources for _, sources in calls] == [["0.docx", "1.docx", "2.docx"], ["1.docx"], ["2.docx"]]
    assert [child for child, _ in calls if is_alive(child)] == []


def interrupt_once_both_started(fake_soffice: Path, main_thread: int) -> None:
    """Send Ctrl-C to the main thread, the only one Python delivers it to,
    once both fake soffice processes have started."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        log = fake_soffice.parent / "calls.log"
        if log.exists() and len(log.read_text().splitlines()) == 2:
            signal.pthread_kill(main_thread, signal.SIGINT)
            return
        time.sleep(0.05)


def test_ctrl_c_kills_every_soffice_at_once(fake_soffice, tmp_path):
    jobs = make_jobs(tmp_path, [b"hang", b"hang"])
    main_thread = threading.main_thread().ident
    assert main_thread is not None
    threading.Thread(target=interrupt_once_both_started, args=(fake_soffice, main_thread)).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        convert_pdfs(jobs, workers=2, timeout_per_document=30)
    assert time.monotonic() - started < 10
    assert processes_mentioning(str(fake_soffice)) == []
    calls = logged_calls(fake_soffice)
    assert len(calls) == 2
    assert [child for child, _ in calls if is_alive(child)] == []
    assert not (tmp_path / "pdf").exists()


def test_failed_conversions_raise_one_line_each_and_a_summary(tmp_path):
    def result(name: str, error: str | None) -> ConversionResult:
        job = ConversionJob(tmp_path / f"{name}.docx", tmp_path / f"{name}.pdf")
        return ConversionResult(job, error is None, error)

    results = [result("a", None), result("b", "the file is empty"), result("c", "LibreOffice did not finish")]
    with pytest.raises(EnvironmentProblem) as raised:
        raise_for_failures(results)
    assert str(raised.value).splitlines() == [
        f"{tmp_path}/b.docx: the file is empty",
        f"{tmp_path}/c.docx: LibreOffice did not finish",
        "2 of 3 PDFs not made",
    ]
    raise_for_failures(results[:1])
