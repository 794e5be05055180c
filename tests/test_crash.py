"""A build killed with SIGKILL midway leaves no half-written document and no
LibreOffice behind, and the next build finishes the job; two builds on one
output folder never interleave; `--pdf-a` makes PDF/A-2b with every font
embedded. Real builds, real LibreOffice."""

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.pdf.soffice_worker import pipe_sockets
from pipeline.store.lock import folder_lock
from pipeline.store.ownership import issued_letters

ROOT = Path(__file__).resolve().parent.parent
MAKE_CASES = ROOT / "tools" / "make_cases.py"
AS_OF = "2026-11-20"  # every generated case is due something on this date
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
]


def build_command(cases: Path, out: Path, *extra: str) -> list[str]:
    # --allow-unconfirmed-rates: the shipped table's latest rows are unconfirmed offline; this test is about kills.
    return [
        sys.executable,
        "-m",
        "pipeline",
        "build",
        str(cases),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--state",
        str(out.parent / "state"),  # the journal beside out/, never the repository's state/
        "--allow-unconfirmed-rates",
        *extra,
    ]


def our_soffice_processes(marker: str) -> list[str]:
    """The command lines of live processes mentioning `marker` (a profile folder of ours)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next(line for line in (entry / "status").read_text().splitlines() if line.startswith("State:"))
        except (OSError, StopIteration):
            continue
        if marker in command and "zombie" not in state:
            found.append(command)
    return found


def assert_whole(folder: Path, temporaries_allowed: bool = False) -> tuple[int, int]:
    """Every DOCX opens as a Word archive and every PDF is complete; (DOCX, PDF) counts.

    A SIGKILL can leave hidden temporaries (".invoice.pdf.x1y2.part"): they
    never bear a document's name, and the next run sweeps them away."""
    leftovers = [p.name for p in folder.rglob(".*") if p.suffix in (".tmp", ".part")]
    assert temporaries_allowed or leftovers == []
    docx = pdf = 0
    for path in folder.rglob("*.docx"):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None and "word/document.xml" in archive.namelist(), path
        docx += 1
    for path in folder.rglob("*.pdf"):
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:], path
        assert len(PdfReader(str(path)).pages) >= 1, path
        pdf += 1
    return docx, pdf


@pytest.fixture(scope="module")
def generated_cases(tmp_path_factory):
    cases = tmp_path_factory.mktemp("generated") / "cases"
    subprocess.run([sys.executable, str(MAKE_CASES), "12", str(cases)], check=True, capture_output=True)
    return cases


def test_a_build_killed_midway_leaves_whole_files_and_the_next_build_finishes(generated_cases, tmp_path):
    out = tmp_path / "out"
    temporary = tmp_path / "tmp"  # the pool's profiles go here, so only this build's soffice match
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}
    build = subprocess.Popen(
        build_command(generated_cases, out),
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while len(list(out.rglob("*.pdf"))) < 3:  # midway: some PDFs made, most not
        assert build.poll() is None, "the build finished before it could be killed; give it more cases"
        assert time.monotonic() < deadline, "no PDF within 120 s"
        time.sleep(0.05)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()

    assert_whole(out, temporaries_allowed=True)
    # The workers see their parent die and take their soffice with them.
    deadline = time.monotonic() + 15
    while our_soffice_processes(str(temporary)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert our_soffice_processes(str(temporary)) == []
    # What the killed pool could not remove: its profiles here, its pipe sockets in /tmp.
    orphaned_sockets = [
        socket
        for worker in temporary.glob("pipeline-lo-*/w*")
        for socket in pipe_sockets(worker / "profile", f"{worker.parent.name}-{worker.name}")
    ]
    assert orphaned_sockets

    rerun = subprocess.run(
        build_command(generated_cases, out), cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    docx, pdf = assert_whole(out)
    assert docx == pdf > 3
    assert our_soffice_processes(str(temporary)) == []
    assert list(temporary.iterdir()) == []  # the killed pool's profiles were swept by the next one
    assert [socket for socket in orphaned_sockets if socket.exists()] == []

    # Nothing left to do: a third build converts nothing and issues nothing (the letters are the journal's).
    third = subprocess.run(build_command(generated_cases, out), cwd=ROOT, capture_output=True, text=True, timeout=120)
    letter_files = len(issued_letters(out))
    assert letter_files > 0
    assert f"записано: 0, без изменений: {docx + pdf - letter_files}, писем с номером выпущено: 0," in third.stderr


def test_a_second_build_on_the_same_folder_waits_then_refuses_naming_the_first(generated_cases, tmp_path):
    out = tmp_path / "out"
    started = time.monotonic()
    with folder_lock(out):  # as a first build holding the folder would
        second = subprocess.run(
            build_command(generated_cases, out, "--format", "docx"),
            cwd=ROOT,
            env={**os.environ, "PIPELINE_LOCK_WAIT": "1"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert second.returncode == 3
    assert time.monotonic() - started < 30
    assert f"занята другим запуском (процесс {os.getpid()}," in second.stderr, second.stderr
    assert not list(out.rglob("*.docx"))


def test_pdf_a_is_pdf_a_2b_with_every_font_embedded(tmp_path):
    result = subprocess.run(
        [
            *build_command(
                ROOT / "cases" / "ivanov-refusal.yaml", tmp_path / "out", "--pdf-a", "--only", "pretension", "--draft"
            ),
            "--shop",
            str(ROOT / "shop.yaml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(str(tmp_path / "out" / "ZN-2026-0147" / "drafts" / "pretension-ПРОЕКТ.pdf"))
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            fonts[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
