"""The DOCX → PDF stage on other machines: unoserver servers (PyPI's
``unoserver``, a warm LibreOffice behind an XML-RPC API), one client thread
each, taking documents from the pool's queue as they free up.

The XML-RPC API (version 3) is spoken directly with the standard library:
unoserver's own client needs no ``uno`` either, but it has no timeout and
retries a refused connection for 50 s. The DOCX goes as bytes and the PDF
comes back as bytes, so the servers share no folder with us; each PDF is then
checked and put in place as the local pool's are (pdf_file.py).

unoserver quirks:

- Its XML-RPC server is single-threaded: a server works on one document at a
  time, and one still busy with a hung document does not answer anything
  else. So a server that fails or times out is asked ``info()`` at once: one
  that answers keeps working (its document is retried once, by whichever
  server is free); one that does not is down for the rest of the run, with a
  warning, and its document goes to the others. With none left the run stops
  (EnvironmentProblem, exit 3).
- A document it cannot load is a Fault "Could not load document …"; that is
  the document's fault, not the server's, and is not retried (as locally).
- ``--filter-options SelectPdfVersion=2`` reaches LibreOffice's PDF export as
  FilterData, as the local worker sets it: PDF/A-2b. The document's
  properties (the stamp in the keywords) pass through as locally.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import xmlrpc.client
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, ThreadPoolExecutor
from pathlib import Path
from xml.parsers.expat import ExpatError

from pipeline.errors import EnvironmentProblem
from pipeline.models import Problem, warning
from pipeline.pdf.converters import ServerAddress
from pipeline.pdf.pdf_file import write_pdf
from pipeline.pdf.pool import DEFAULT_TIMEOUT, TIMEOUT_FLOOR, ConversionJob, ConversionResult, DocumentTimeout, JobPool

API_VERSION = "3"
PROBE_TIMEOUT = 10.0  # a server that does not say info() within this is down
# The filters uno_worker.py forces (it runs under another Python and cannot be imported).
IMPORT_FILTER = "MS Word 2007 XML"
EXPORT_FILTER = "writer_pdf_Export"
PDFA_OPTIONS = ["SelectPdfVersion=2"]  # PDF/A-2b
LOAD_FAILED = "LibreOffice could not open it as a DOCX (damaged or not a Word file)"
START_HINT = "unoserver --interface 0.0.0.0 --port 2003"
SERVER_DOWN = "сервер unoserver {server} не отвечает ({why}): его документы делают остальные серверы"
NO_SERVER = (
    "ни один сервер unoserver не отвечает: {servers} — запустите на этих машинах {hint} "
    "или делайте PDF здесь, без --converter"
)
# What an XML-RPC call may raise besides a Fault: the network, HTTP, a garbled answer.
CALL_ERRORS = (OSError, http.client.HTTPException, xmlrpc.client.Error, ExpatError)


class ServerFailed(Exception):
    """Raised when a server did not convert a document: down, timed out or
    broken; the message names the server."""


class DocumentRefused(Exception):
    """Raised when a server's LibreOffice could not open a document."""


class UnoServerClient:
    """Calls to one server, each under its own timeout; ``interrupt()`` cuts the
    call in flight short (from another thread)."""

    def __init__(self, address: ServerAddress):
        self.address = address
        self._connection: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()

    def convert(self, docx: bytes, pdfa: bool, timeout: float) -> bytes:
        """The PDF of `docx`. DocumentRefused, or ServerFailed."""
        options = PDFA_OPTIONS if pdfa else []
        try:
            answer = self._proxy(timeout).convert(
                None, xmlrpc.client.Binary(docx), None, "pdf", EXPORT_FILTER, options, False, IMPORT_FILTER, None
            )
        except xmlrpc.client.Fault as fault:
            if "Could not load document" in fault.faultString:
                raise DocumentRefused(LOAD_FAILED) from None
            raise ServerFailed(f"unoserver {self.address}: {describe(fault)}") from None
        except TimeoutError:
            raise ServerFailed(f"LibreOffice did not finish within {timeout:g} s (unoserver {self.address})") from None
        except CALL_ERRORS as err:
            raise ServerFailed(f"unoserver {self.address}: {describe(err)}") from None
        finally:
            self._forget_connection()
        if not isinstance(answer, xmlrpc.client.Binary):
            raise ServerFailed(f"unoserver {self.address}: в ответе нет PDF")
        return answer.data

    def probe(self, timeout: float = PROBE_TIMEOUT) -> str | None:
        """Why the server is not a working unoserver of our API version, or None when it is."""
        try:
            info = self._proxy(timeout).info()
        except TimeoutError:
            return f"нет ответа за {timeout:g} с"
        except CALL_ERRORS as err:
            return describe(err)
        finally:
            self._forget_connection()
        api = info.get("api") if isinstance(info, dict) else None
        if api != API_VERSION:
            return f"это не unoserver с API {API_VERSION} (API: {api})"
        return None

    def interrupt(self) -> None:
        with self._lock:
            sock = self._connection.sock if self._connection else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        url = f"http://{self.address}/RPC2"
        return xmlrpc.client.ServerProxy(url, _Transport(timeout, self._remember_connection), allow_none=True)

    def _remember_connection(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._connection = connection

    def _forget_connection(self) -> None:
        with self._lock:
            self._connection = None


class _Transport(xmlrpc.client.Transport):
    """xmlrpc's HTTP transport with a timeout, handing each connection to `on_connection`."""

    def __init__(self, timeout: float, on_connection: Callable[[http.client.HTTPConnection], None]):
        super().__init__()
        self._timeout = timeout
        self._on_connection = on_connection

    def make_connection(self, host: tuple[str, dict[str, str]] | str) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        self._on_connection(connection)
        return connection


def describe(err: BaseException) -> str:
    """Why a call failed, in a few Russian words."""
    if isinstance(err, ConnectionRefusedError):
        return "в соединении отказано"
    if isinstance(err, socket.gaierror):
        return "хост не найден"
    if isinstance(err, ConnectionResetError | http.client.RemoteDisconnected | BrokenPipeError):
        return "соединение оборвалось"
    if isinstance(err, xmlrpc.client.Fault):
        return f"ошибка сервера: {err.faultString.strip().splitlines()[-1][:200]}"
    if isinstance(err, xmlrpc.client.ProtocolError):
        return f"ошибка HTTP {err.errcode} {err.errmsg}"
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return f"{type(err).__name__}: {err}"[:200]


def require_a_server(servers: Sequence[ServerAddress]) -> None:
    """EnvironmentProblem, naming every server and why, when none of them answers."""
    clients = [UnoServerClient(address) for address in servers]
    with ThreadPoolExecutor(max_workers=len(clients)) as executor:
        reasons = list(executor.map(UnoServerClient.probe, clients))
    if all(reasons):
        raise no_server_left(dict(zip(servers, (why or "" for why in reasons), strict=True)))


def no_server_left(reasons: dict[ServerAddress, str]) -> EnvironmentProblem:
    servers = ", ".join(f"{address} ({why})" for address, why in reasons.items())
    return EnvironmentProblem(NO_SERVER.format(servers=servers, hint=START_HINT))


class RemotePool(JobPool):
    """unoserver servers converting submitted jobs as they come, one thread each.

    A document is converted by whichever server is free. One whose server
    fails or times out is retried once (elsewhere when the server turns out
    to be down); a document a server cannot load fails alone. A server down
    at the start or midway is one warning in `warnings` and takes no more
    documents; with none left every job left raises EnvironmentProblem.
    """

    def __init__(
        self,
        servers: Sequence[ServerAddress],
        timeout_per_document: float = DEFAULT_TIMEOUT,
        *,
        timeout_floor: float = TIMEOUT_FLOOR,
        pdfa: bool = False,
        warnings: list[Problem] | None = None,
        probe_timeout: float = PROBE_TIMEOUT,
    ):
        super().__init__(len(servers), "unoserver")
        self._clients = [UnoServerClient(address) for address in servers]
        self._timeout = DocumentTimeout(timeout_per_document, timeout_floor)
        self._pdfa = pdfa
        self._warnings = warnings
        self._probe_timeout = probe_timeout
        self._down: dict[int, str] = {}  # slot → why its server is down
        self._failed_once: dict[ConversionJob, str] = {}
        self.converted = [0] * len(servers)  # documents each server made
        self._start()

    def _open_slot(self, slot: int) -> bool:
        why = self._clients[slot].probe(self._probe_timeout)
        if why is not None:
            self._server_down(slot, why)
            return False
        return True

    def _slot_alive(self, slot: int) -> bool:
        with self._lock:
            return slot not in self._down

    def _close_slot(self, slot: int) -> None:
        pass  # a server is not ours to stop

    def _interrupt(self) -> None:
        for client in self._clients:
            client.interrupt()

    def _release(self) -> None:
        pass

    def _convert(self, slot: int, job: ConversionJob) -> ConversionResult | None:
        if self._stopped is not None:
            return self._stopped_result(job)
        try:
            docx = job.source.read_bytes()
        except OSError as err:
            return ConversionResult(job, False, f"cannot read the file: {err.strerror or err}")
        started = time.monotonic()
        try:
            pdf = self._clients[slot].convert(docx, self._pdfa, self._timeout.seconds())
        except DocumentRefused as err:
            return ConversionResult(job, False, str(err))
        except ServerFailed as err:
            return self._server_failed(slot, job, str(err))
        self._timeout.record(time.monotonic() - started)
        return self._place(slot, job, pdf)

    def _place(self, slot: int, job: ConversionJob, pdf: bytes) -> ConversionResult:
        try:
            error = write_pdf(job.target, lambda partial: _write_bytes(partial, pdf))
        except EnvironmentProblem as err:  # a full disk here
            self._stop(err)
            raise
        if error is None:
            with self._lock:
                self.converted[slot] += 1
        return ConversionResult(job, error is None, error)

    def _server_failed(self, slot: int, job: ConversionJob, error: str) -> ConversionResult | None:
        """After a failed call: None gives the job back for its retry; a second failure is its result."""
        if self._cancelled:
            raise CancelledError
        if self._stopped is None:
            why = self._clients[slot].probe(self._probe_timeout)
            if why is not None:
                self._server_down(slot, why)
        if self._stopped is not None:
            return self._stopped_result(job)
        with self._lock:
            if job not in self._failed_once:
                self._failed_once[job] = error
                return None
        return ConversionResult(job, False, error)

    def _server_down(self, slot: int, why: str) -> None:
        with self._lock:
            self._down[slot] = why
            left = len(self._clients) - len(self._down)
        if left:
            if self._warnings is not None:  # list.append is atomic: the threads share it safely
                self._warnings.append(warning(SERVER_DOWN.format(server=self._clients[slot].address, why=why)))
            return
        self._stop(no_server_left({self._clients[index].address: why for index, why in sorted(self._down.items())}))
        self._fail_waiting()


def _write_bytes(partial: Path, data: bytes) -> None:
    partial.write_bytes(data)
