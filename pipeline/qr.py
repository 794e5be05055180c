"""The payment QR code of ГОСТ Р 56042-2014 that Russian banking apps scan to pay
an invoice: the payload text and its PNG image.
"""

from __future__ import annotations

import functools
import struct
import zlib
from decimal import ROUND_HALF_UP, Decimal

import segno

from .models import Shop

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
    # boost_error off: the level stays M as banks expect; no ECI header, which
    # some banking apps fail to read.
    # A fixed mask skips segno's search for the "best" of eight (ISO/IEC 18004
    # allows any; scanners read them all) — it cost 100 ms a code. Scale 4 is
    # ~200 dpi at the 35 mm the templates print, plenty for a phone camera.
    code = segno.make(payload, error="m", encoding="utf-8", micro=False, boost_error=False, mask=0)
    return _png(code.matrix, SCALE, BORDER)


SCALE = 4  # pixels a module
BORDER = 4  # the quiet zone, in modules, that ISO/IEC 18004 asks for


def _png(matrix, scale: int, border: int) -> bytes:
    """A 1-bit greyscale PNG of the module matrix (1 = dark).

    Written here rather than by segno's writer, which builds the image pixel
    by pixel in Python (7 ms a code against 0.3 ms here).
    """
    width = (len(matrix[0]) + 2 * border) * scale
    quiet = [0] * border
    lines = []
    for row in ([[0] * len(matrix[0])] * border) + [list(row) for row in matrix] + ([[0] * len(matrix[0])] * border):
        # PNG greyscale: 0 is black. Each module becomes `scale` bits.
        bits = "".join(("0" if dark else "1") * scale for dark in quiet + row + quiet)
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
