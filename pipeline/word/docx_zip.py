"""Writing a DOCX archive fast: every part of a template that rendering does not
change (styles, fonts, theme, settings — most of the file's bytes) is
compressed once per run and copied into each document as it is; only the
rendered parts are compressed per document.

Python's zipfile cannot take data that is already compressed, so the archive
is laid out here: local headers, data, central directory, end record (the
PKZIP application note, section 4.3). Every entry gets the same fixed date, so
the same input gives the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
_END_RECORD = struct.Struct("<IHHHHIIH")
_VERSION = 20  # 2.0: deflate
_MADE_ON_UNIX = 3 << 8
_DEFLATED = 8
_FILE_MODE = 0o100644 << 16


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


def write_zip(entries: Sequence[ZipEntry], day: date) -> bytes:
    """The archive of `entries`, in their order, each dated `day` at midnight."""
    dos_date = ((day.year - 1980) << 9) | (day.month << 5) | day.day
    dos_time = 0
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0x800 if not entry.name.isascii() else 0  # bit 11: the name is UTF-8
        header = _LOCAL_HEADER.pack(
            0x04034B50, _VERSION, flags, _DEFLATED, dos_time, dos_date,
            entry.crc, len(entry.compressed), entry.size, len(name), 0,
        )  # fmt: skip
        central.append(
            _CENTRAL_HEADER.pack(
                0x02014B50,
                _MADE_ON_UNIX | _VERSION,
                _VERSION,
                flags,
                _DEFLATED,
                dos_time,
                dos_date,
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
