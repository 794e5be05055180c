"""The payment QR code of ГОСТ Р 56042-2014 that Russian banking apps scan to pay
an invoice: the payload text and its PNG image.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import struct
import zlib
from decimal import ROUND_HALF_UP, Decimal

import segno

from pipeline.models import Shop

# "ST0001" is the format id, the trailing "2" says the text is UTF-8.
PAYLOAD_HEADER = "ST00012"
SEPARATOR = "|"


def _clean(value: str) -> str:
    """A value may not contain the separator or break the one-line payload."""
    text = value.replace(SEPARATOR, " ").replace("\r", " ").replace("\n", " ")
    return " ".join(text.split())


def _kopecks(amount: Decimal) -> int:
    # The standard's Sum is an integer count of kopecks.
    return int(Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)


def payment_qr_payload(shop: Shop, amount: Decimal, purpose: str) -> str:
    """ "ST00012|Name=…|PersonalAcc=…|BankName=…|BIC=…|CorrespAcc=…|PayeeINN=…|KPP=…|Sum=…|Purpose=…".

    The five required fields come first in the standard's order; KPP is left
    out for an entrepreneur, who has none.
    """
    fields = [
        ("Name", shop.name),
        ("PersonalAcc", shop.bank.account),
        ("BankName", shop.bank.name),
        ("BIC", shop.bank.bik),
        ("CorrespAcc", shop.bank.corr_account),
        ("PayeeINN", shop.inn),
    ]
    if shop.kpp:
        fields.append(("KPP", shop.kpp))
    fields.append(("Sum", str(_kopecks(amount))))
    fields.append(("Purpose", purpose))
    return SEPARATOR.join([PAYLOAD_HEADER] + [f"{key}={_clean(value)}" for key, value in fields])


@functools.lru_cache(maxsize=512)
def payment_qr_png(payload: str) -> bytes:
    """The payload as a PNG QR code, error level M, same bytes for the same payload.

    Cached: a case's letters usually ask for the same sum with the same purpose.
    """
    # Scale 4 is ~200 dpi at the 35 mm the templates print, plenty for a phone camera.
    return _png(qr_matrix(payload), SCALE, BORDER)


# libqrencode's module bytes carry flags in their high bits; bit 0 is "dark".
_LOW_BIT = bytes(value & 1 for value in range(256))


def qr_matrix(payload: str) -> list[bytes]:
    """The QR symbol of the payload's UTF-8 bytes, error level M, byte mode,
    no ECI header (some banking apps fail on one): rows of 1 (dark) and 0.

    Made by libqrencode (Debian's libqrencode4) when it is installed: segno,
    pure Python, takes 7–13 ms a code for our 250–470-byte payloads, which was
    most of the CPU a build spends outside LibreOffice; libqrencode takes
    0.2 ms. Without it, segno makes the same kind of symbol.
    """
    library = _libqrencode()
    data = payload.encode("utf-8")
    if library is not None:
        code = library.QRcode_encodeData(len(data), data, 0, 1)  # version: smallest that fits; 1 = level M
        if code:
            try:
                width = code.contents.width
                modules = ctypes.string_at(code.contents.data, width * width).translate(_LOW_BIT)
                return [modules[row * width : (row + 1) * width] for row in range(width)]
            finally:
                library.QRcode_free(code)
    # boost_error off: the level stays M as banks expect. A fixed mask skips
    # segno's search for the "best" of eight (ISO/IEC 18004 allows any;
    # scanners read them all) — it cost 100 ms a code.
    symbol = segno.make(payload, error="m", encoding="utf-8", micro=False, boost_error=False, mask=0, mode="byte")
    return [bytes(row) for row in symbol.matrix]


class _QRcode(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("width", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte))]


@functools.cache
def _libqrencode() -> ctypes.CDLL | None:
    """libqrencode, or None when it is not installed (segno is used then)."""
    name = ctypes.util.find_library("qrencode")
    try:
        library = ctypes.CDLL(name or "libqrencode.so.4")
    except OSError:
        return None
    library.QRcode_encodeData.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    library.QRcode_encodeData.restype = ctypes.POINTER(_QRcode)
    library.QRcode_free.argtypes = [ctypes.POINTER(_QRcode)]
    return library


SCALE = 4  # pixels a module
BORDER = 4  # the quiet zone, in modules, that ISO/IEC 18004 asks for


def _png(matrix: list[bytes], scale: int, border: int) -> bytes:
    """A 1-bit greyscale PNG of the module matrix (1 = dark).

    Written here rather than by segno's writer, which builds the image pixel
    by pixel in Python (7 ms a code against 0.5 ms here).
    """
    width = (len(matrix[0]) + 2 * border) * scale
    quiet = bytes(border)
    blank = bytes(len(matrix[0]))
    pixels = ("1" * scale, "0" * scale)  # PNG greyscale: 0 is black; each module becomes `scale` bits
    lines = []
    for row in [blank] * border + list(matrix) + [blank] * border:
        bits = "".join([pixels[dark] for dark in quiet + bytes(row) + quiet])
        bits += "1" * (-len(bits) % 8)
        line = b"\x00" + int(bits, 2).to_bytes(len(bits) // 8, "big")  # filter type 0 (none)
        lines += [line] * scale
    header = struct.pack(">IIBBBBB", width, width, 1, 0, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(b"".join(lines), 9)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
