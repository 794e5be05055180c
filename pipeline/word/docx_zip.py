"""Writing a DOCX archive fast: every part of a template that rendering does not
change (styles, fonts, theme, settings — most of the file's bytes) is
compressed once per run and copied into each document as it is; only the
rendered parts are compressed per document.

Python's zipfile cannot take data that is already compressed, so the archive
is laid out here: local headers, data, central directory, end record (the
PKZIP application note, section 4.3). Every entry gets the same fixed date,
1980-01-01 00:00 — the first an MS-DOS timestamp can hold, and what Python's
zipfile and reproducible builds use — whatever the document's own date (which
is in docProps/core.xml): the same input gives the same bytes, and no date a
case or --as-of can hold overflows the two-byte date field (years 1980–2107).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
_END_RECORD = struct.Struct("<IHHHHIIH")
_VERSION = 20  # 2.0: deflate
_MADE_ON_UNIX = 3 << 8
_DEFLATED = 8
_FILE_MODE = 0o100644 << 16
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01: years since 1980, month, day
_DOS_TIME = 0  # 00:00:00


@dataclass(frozen=True)
class ZipEntry:
    """One archive member, already compressed (raw deflate)."""

    name: str
    crc: int
    size: int
    compressed: bytes


def compress(name: str, data: bytes, level: int = 6) -> ZipEntry:
    """The entry for `data`, deflated."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return ZipEntry(name, zlib.crc32(data), len(data), packer.compress(data) + packer.flush())


def write_zip(entries: Sequence[ZipEntry]) -> bytes:
    """The archive of `entries`, in their order, each dated 1980-01-01 00:00: a case's own
    dates (2126 by a typo) never reach the ZIP format's limits, and the bytes never depend on them."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0x800 if not entry.name.isascii() else 0  # bit 11: the name is UTF-8
        header = _LOCAL_HEADER.pack(
            0x04034B50, _VERSION, flags, _DEFLATED, _DOS_TIME, _DOS_DATE,
            entry.crc, len(entry.compressed), entry.size, len(name), 0,
        )  # fmt: skip
        central.append(
            _CENTRAL_HEADER.pack(
                0x02014B50,
                _MADE_ON_UNIX | _VERSION,
                _VERSION,
                flags,
                _DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                entry.crc,
                len(entry.compressed),
                entry.size,
                len(name),
                0,
                0,
                0,
                0,
                _FILE_MODE,
                offset,
            )  # fmt: skip
            + name
        )
        chunks += (header, name, entry.compressed)
        offset += len(header) + len(name) + len(entry.compressed)
    directory = b"".join(central)
    end = _END_RECORD.pack(0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
