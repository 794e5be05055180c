"""The payment QR code of ГОСТ Р 56042-2014 that Russian banking apps scan to pay
an invoice: the payload text and its PNG image.
"""

from __future__ import annotations

import io
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


def payment_qr_png(payload: str) -> bytes:
    """The payload as a PNG QR code, error level M, same bytes for the same payload."""
    # boost_error off: the level stays M as banks expect; no ECI header, which
    # some banking apps fail to read.
    # A fixed mask skips segno's search for the "best" of eight (ISO/IEC 18004
    # allows any; scanners read them all) — it cost 100 ms a code. Scale 4 is
    # ~200 dpi at the 35 mm the templates print, plenty for a phone camera.
    code = segno.make(payload, error="m", encoding="utf-8", micro=False, boost_error=False, mask=0)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=4, border=4)
    return buffer.getvalue()
