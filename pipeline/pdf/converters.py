"""Where `build` and `batch` make their PDFs, as ``--converter`` says: the
local pool of LibreOffice workers (``local``, the default; convert.py) or
unoserver servers on other machines (``unoserver://HOST:PORT[,HOST:PORT…]``;
remote.py). Both are a JobPool: the commands submit jobs and read results the
same way, with the same timeouts, retries and messages. remote.py (http.client,
xmlrpc) is imported only when servers are named: a build with nothing to redo
does not pay for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Problem
from pipeline.pdf import convert
from pipeline.pdf.locate import find_soffice
from pipeline.pdf.pool import DEFAULT_TIMEOUT, JobPool

SCHEME = "unoserver://"
LOCAL_NAME = "local"
# A host name or IPv4 address, or an IPv6 address in brackets; then the port.
_SERVER = re.compile(r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9._-]+)):(?P<port>[0-9]{1,5})")
EXPECTED = f"ожидается {LOCAL_NAME} или {SCHEME}ХОСТ:ПОРТ[,ХОСТ:ПОРТ…], например {SCHEME}10.0.0.5:2003"


@dataclass(frozen=True)
class ServerAddress:
    """One unoserver server: HOST:PORT (an IPv6 host in brackets)."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Converter:
    """The local pool (no servers) or these unoserver servers."""

    servers: tuple[ServerAddress, ...] = ()

    def __str__(self) -> str:
        return SCHEME + ",".join(map(str, self.servers)) if self.servers else LOCAL_NAME

    def check(self) -> None:
        """EnvironmentProblem (exit 3), before any work, when no PDF can be made:
        LibreOffice missing here, or none of the servers answering."""
        if self.servers:
            from pipeline.pdf.remote import require_a_server

            require_a_server(self.servers)
        else:
            find_soffice()

    def open(
        self,
        workers: int,
        pdfa: bool = False,
        warnings: list[Problem] | None = None,
        timeout_per_document: float = DEFAULT_TIMEOUT,
    ) -> JobPool:
        """A pool converting jobs as they are submitted: `workers` local
        LibreOffice processes, or one thread per server (`workers` unused).
        A server found down is a warning appended to `warnings`."""
        if self.servers:
            from pipeline.pdf.remote import RemotePool

            return RemotePool(self.servers, timeout_per_document, pdfa=pdfa, warnings=warnings)
        return convert.ConversionPool(workers, timeout_per_document, pdfa=pdfa)


LOCAL = Converter()


def parse_converter(text: str) -> Converter:
    """The converter `text` names; ValueError, in Russian, when it names none."""
    value = text.strip()
    if value == LOCAL_NAME:
        return LOCAL
    if not value.startswith(SCHEME):
        raise ValueError(f"«{text}» — {EXPECTED}")
    servers = [_parse_server(part.strip(), text) for part in value.removeprefix(SCHEME).split(",")]
    for index, server in enumerate(servers):
        if server in servers[:index]:
            raise ValueError(f"«{text}» — сервер {server} указан дважды")
    return Converter(tuple(servers))


def _parse_server(part: str, text: str) -> ServerAddress:
    match = _SERVER.fullmatch(part)
    if match is None:
        raise ValueError(f"«{text}» — «{part}» не ХОСТ:ПОРТ ({EXPECTED})")
    port = int(match["port"])
    if not 1 <= port <= 65535:
        raise ValueError(f"«{text}» — порт {match['port']} вне 1–65535")
    return ServerAddress(match["ipv6"] or match["host"], port)
