"""`--converter unoserver://…`: PDFs made by unoserver servers instead of the
local pool.

Real: two local unoserver servers (tools/unoservers.py; `make unoserver`
installs unoserver into .venv-uno) convert a small build, whose PDFs must read
as the local pool's and keep the document stamp; one killed midway leaves the
other to finish. Fast: an in-process stand-in speaking unoserver's XML-RPC API
for timeouts, retries and every server going down midway; the command line's
checks need no server at all."""

from __future__ import annotations

import contextlib
import io
import re
import sys
import threading
import time
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path
from xmlrpc.server import SimpleXMLRPCServer

import pypdf
import pytest
from test_convert import make_jobs

from pipeline import cli
from pipeline.errors import EnvironmentProblem
from pipeline.pdf.converters import LOCAL, Converter, ServerAddress, parse_converter
from pipeline.pdf.locate import find_soffice
from pipeline.pdf.remote import RemotePool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from unoservers import LocalUnoServer, converter_url, free_port, local_unoservers, unoserver_python  # noqa: E402

AS_OF = "2026-11-20"
ALLOW = "--allow-unconfirmed-rates"
# A handful of documents: a refusal act, invoices, overdue notices, a pretension.
CASES = [str(ROOT / "cases" / name) for name in ("ivanov-refusal.yaml", "smirnova-unpaid.yaml", "vector-company.yaml")]
EXPECTED = "ожидается local или unoserver://ХОСТ:ПОРТ[,ХОСТ:ПОРТ…], например unoserver://10.0.0.5:2003"
DOWN = "сервер unoserver {server} не отвечает ({why}): его документы делают остальные серверы"
NONE_LEFT = (
    "ни один сервер unoserver не отвечает: {servers} — запустите на этих машинах "
    "unoserver --interface 0.0.0.0 --port 2003 или делайте PDF здесь, без --converter"
)


def _missing() -> str | None:
    try:
        find_soffice()
    except EnvironmentProblem:
        return "LibreOffice (soffice) is not installed"
    return None if unoserver_python() else "unoserver is not installed (make unoserver)"


MISSING = _missing()
requires_unoserver = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "servers"),
    [
        ("unoserver://127.0.0.1:2003", (ServerAddress("127.0.0.1", 2003),)),
        (
            "unoserver://pdf-1.shop.local:2003, 10.0.0.6:2004,[::1]:2005",
            (ServerAddress("pdf-1.shop.local", 2003), ServerAddress("10.0.0.6", 2004), ServerAddress("::1", 2005)),
        ),
    ],
)
def test_a_converter_url_names_its_servers_in_order(value, servers):
    converter = parse_converter(value)
    assert converter == Converter(servers)
    assert parse_converter(str(converter)) == converter  # "[::1]:2005" keeps its brackets


def test_local_is_the_local_pool():
    assert parse_converter("local") is LOCAL
    assert str(LOCAL) == "local"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("http://10.0.0.5:2003", f"«http://10.0.0.5:2003» — {EXPECTED}"),
        ("unoserver://", f"«unoserver://» — «» не ХОСТ:ПОРТ ({EXPECTED})"),
        ("unoserver://10.0.0.5", f"«unoserver://10.0.0.5» — «10.0.0.5» не ХОСТ:ПОРТ ({EXPECTED})"),
        ("unoserver://10.0.0.5:0", "«unoserver://10.0.0.5:0» — порт 0 вне 1–65535"),
        ("unoserver://10.0.0.5:70000", "«unoserver://10.0.0.5:70000» — порт 70000 вне 1–65535"),
        ("unoserver://a:2003,a:2003", "«unoserver://a:2003,a:2003» — сервер a:2003 указан дважды"),
    ],
)
@pytest.mark.parametrize("command", ["build", "batch"])
def test_a_bad_converter_is_a_usage_error_in_one_russian_line(command, value, message, capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main([command, "cases", f"--converter={value}"])
    assert raised.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"pipeline {command}: ошибка: аргумент --converter: {message}"


def test_no_server_answering_is_exit_3_in_one_russian_line_before_anything_is_made(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    first, second = free_port(), free_port()
    options = ["--as-of", AS_OF, ALLOW, "--out", str(tmp_path / "out"), "--state", str(tmp_path / "state")]
    code = cli.main(["build", *CASES, *options, "--converter", f"unoserver://127.0.0.1:{first},127.0.0.1:{second}"])
    assert code == 3
    refused = f"127.0.0.1:{first} (в соединении отказано), 127.0.0.1:{second} (в соединении отказано)"
    assert capsys.readouterr().err.splitlines() == [f"ошибка: {NONE_LEFT.format(servers=refused)}"]
    assert not [path for path in (tmp_path / "out").rglob("*") if path.suffix in (".docx", ".pdf")]


# --- a stand-in server: retries, timeouts, every server going down ---------------------------


class FakeUnoServer:
    """unoserver's XML-RPC API in this process, single-threaded as unoserver is:
    a DOCX holding b"ok" becomes a tiny PDF, b"garbage" is refused as unoserver
    refuses a document LibreOffice cannot load, and b"hang-once" hangs on the
    first server that gets it."""

    hung: set[bytes] = set()

    def __init__(self) -> None:
        self._server = SimpleXMLRPCServer(("127.0.0.1", 0), allow_none=True, logRequests=False)
        self._server.register_function(lambda: {"api": "3", "unoserver": "3.7"}, "info")
        self._server.register_function(self._convert, "convert")
        self._release = threading.Event()
        self.converted = 0
        self.address = ServerAddress("127.0.0.1", self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _convert(self, inpath, indata, outpath, convert_to, *options):  # type: ignore[no-untyped-def]
        content = indata.data
        if content == b"garbage":
            raise RuntimeError("Could not load document <remote file> using the MS Word 2007 XML filter.")
        if content == b"hang-once" and content not in FakeUnoServer.hung:
            FakeUnoServer.hung.add(content)
            self._release.wait(30)
        self.converted += 1
        return xmlrpc.client.Binary(b"%PDF-1.4\n%%EOF\n")

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def fake_servers() -> Iterator[list[FakeUnoServer]]:
    FakeUnoServer.hung.clear()
    servers = [FakeUnoServer(), FakeUnoServer()]
    yield servers
    for server in servers:
        with contextlib.suppress(OSError):
            server.stop()


def test_a_document_a_server_cannot_load_fails_alone_and_is_not_retried(fake_servers, tmp_path):
    jobs = make_jobs(tmp_path, [b"ok", b"garbage", b"ok"])
    warnings: list = []
    with RemotePool([server.address for server in fake_servers], warnings=warnings) as pool:
        results = [future.result() for future in [pool.submit(job) for job in jobs]]
    assert [(result.ok, result.error) for result in results] == [
        (True, None),
        (False, "LibreOffice could not open it as a DOCX (damaged or not a Word file)"),
        (True, None),
    ]
    assert [job.target.is_file() for job in jobs] == [True, False, True]
    assert sum(server.converted for server in fake_servers) == 2 and warnings == []
    assert not list((tmp_path / "pdf").glob(".*"))  # no partial file left


def test_a_server_that_times_out_is_dropped_and_its_document_made_by_another(fake_servers, tmp_path):
    jobs = make_jobs(tmp_path, [b"hang-once", b"ok", b"ok", b"ok"])
    warnings: list = []
    addresses = [server.address for server in fake_servers]
    started = time.monotonic()
    with RemotePool(addresses, 1, timeout_floor=1, warnings=warnings, probe_timeout=1) as pool:
        results = [future.result() for future in [pool.submit(job) for job in jobs]]
    assert time.monotonic() - started < 15
    assert all(result.ok for result in results), results
    # The server that hung does not answer info() either (one request at a time): it is down.
    [hung] = [server for server in fake_servers if server.converted == 0]
    assert [str(warning) for warning in warnings] == [
        "предупреждение: " + DOWN.format(server=hung.address, why="нет ответа за 1 с")
    ]


def test_every_server_going_down_midway_fails_the_rest_with_one_message(fake_servers, tmp_path):
    first, *rest = make_jobs(tmp_path, [b"ok"] * 4)
    with RemotePool([server.address for server in fake_servers]) as pool:
        assert pool.submit(first).result().ok
        for server in fake_servers:
            server.stop()
        futures = [pool.submit(job) for job in rest]
        for future in futures:
            with pytest.raises(EnvironmentProblem) as raised:
                future.result(timeout=30)
        late = pool.submit(first)
        with pytest.raises(EnvironmentProblem):
            late.result(timeout=5)
    servers = ", ".join(f"{server.address} (в соединении отказано)" for server in fake_servers)
    assert str(raised.value) == NONE_LEFT.format(servers=servers)


# --- real servers ----------------------------------------------------------------------------


def build(out: Path, *options: str) -> tuple[int, list[str]]:
    """`pipeline build` of CASES into `out`: the exit code and the stderr lines."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        # The journal beside out/, never the working folder's state/ (where `make docs` keeps its own).
        state = ["--state", str(out.parent / f"{out.name}-state")]
        code = cli.main(["build", *CASES, "--as-of", AS_OF, ALLOW, "--out", str(out), *state, *options])
    return code, stderr.getvalue().splitlines()


def pdfs(out: Path) -> dict[str, Path]:
    return {str(path.relative_to(out)): path for path in sorted(out.rglob("*.pdf"))}


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def keywords(path: Path) -> str:
    metadata = pypdf.PdfReader(path).metadata
    return str(metadata.get("/Keywords", "")) if metadata else ""


def conversions(server: LocalUnoServer) -> int:
    """Documents the server has started to export (unoserver logs each)."""
    return len(re.findall(r"Exporting to ", server.log.read_text(errors="replace")))


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[LocalUnoServer]]:
    python = unoserver_python()
    assert python is not None
    with local_unoservers(2, tmp_path_factory.mktemp("unoservers"), python) as servers:
        yield servers


@pytest.fixture(scope="module")
def local_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    code, stderr = build(out, "--jobs", "1")
    assert code == 0, stderr
    return out


@pytest.mark.libreoffice
@requires_unoserver
def test_a_build_on_two_servers_reads_as_the_local_pools_and_both_servers_work(two_servers, local_build, tmp_path):
    before = [conversions(server) for server in two_servers]
    code, stderr = build(tmp_path / "out", "--converter", converter_url(two_servers))
    assert code == 0, stderr
    remote, local = pdfs(tmp_path / "out"), pdfs(local_build)
    assert len(local) >= 5 and remote.keys() == local.keys()
    for name, path in remote.items():
        assert pdf_text(path) == pdf_text(local[name]), name
        # The document's stamp (the DOCX properties) survives the trip.
        assert keywords(path) == keywords(local[name]) and "case_id=" in keywords(path), name
    made = [conversions(server) - done for server, done in zip(two_servers, before, strict=True)]
    assert sum(made) == len(remote) and all(made), made  # documents went to both servers


@pytest.mark.libreoffice
@requires_unoserver
def test_pdf_a_through_a_server_is_pdf_a_2b_and_keeps_the_stamp(two_servers, tmp_path):
    code, stderr = build(tmp_path / "out", "--only", "invoice", "--pdf-a", "--converter", converter_url(two_servers))
    assert code == 0, stderr
    made = pdfs(tmp_path / "out")
    assert made
    for path in made.values():
        assert b"<pdfaid:part>2</pdfaid:part>" in path.read_bytes()
        assert "kind=invoice" in keywords(path)


@pytest.mark.libreoffice
@requires_unoserver
def test_a_server_killed_midway_leaves_the_other_to_finish_everything(two_servers, tmp_path):
    python = unoserver_python()
    assert python is not None
    doomed, survivor = LocalUnoServer(python, tmp_path / "doomed"), two_servers[0]
    try:
        doomed.wait_ready()
        before = conversions(survivor)

        def kill_once_converting() -> None:
            deadline = time.monotonic() + 60
            while conversions(doomed) == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            doomed.kill()

        killer = threading.Thread(target=kill_once_converting)
        killer.start()
        code, stderr = build(tmp_path / "out", "--converter", converter_url([doomed, survivor]))
        killer.join()
    finally:
        doomed.kill()
    assert code == 0, stderr
    assert conversions(doomed) == 1  # killed while converting its first document
    made = pdfs(tmp_path / "out")
    assert len(made) >= 5 and all(path.read_bytes().startswith(b"%PDF-") for path in made.values())
    assert conversions(survivor) - before == len(made)  # every PDF, the one the other lost too
    assert f"предупреждение: {DOWN.format(server=doomed.address, why='в соединении отказано')}" in stderr
    assert stderr[-1].startswith("Дел: 3, собрано: 3, документов записано: "), stderr
