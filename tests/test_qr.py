"""The ГОСТ Р 56042-2014 payment QR code: payload text and PNG."""

import shutil
import subprocess
from decimal import Decimal
from decimal import Decimal as D

import pytest
from doc_factories import entrepreneur_shop, make_shop

from pipeline.wording import qr
from pipeline.wording.qr import payment_qr_payload, payment_qr_png

PURPOSE = "Оплата по счёту № 147 от 03.09.2026 за ремонт автомобиля по заказ-наряду № ЗН-0147"


def test_payload_lists_the_fields_in_order_with_the_sum_in_kopecks():
    # 8 840,00 руб. = 884 000 kopecks
    assert payment_qr_payload(make_shop(), D("8840.00"), PURPOSE) == (
        "ST00012|Name=ООО «Автосервис Плюс»|PersonalAcc=40702810938000071234|BankName=ПАО Сбербанк"
        "|BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7724212997|KPP=772401001"
        f"|Sum=884000|Purpose={PURPOSE}"
    )


def test_payload_rounds_to_kopecks():
    assert "|Sum=1|" in payment_qr_payload(make_shop(), D("0.005"), "x")


def test_payload_strips_separators_and_newlines_from_values():
    payload = payment_qr_payload(make_shop(name="ООО «A|B»\nСервис"), D("1"), "за | ремонт\r\nавто")
    assert "Name=ООО «A B» Сервис|" in payload
    assert payload.endswith("|Purpose=за ремонт авто")
    assert payload.count("|") == 9


def test_payload_has_no_kpp_for_an_entrepreneur():
    assert "KPP=" not in payment_qr_payload(entrepreneur_shop(), D("100"), "x")


@pytest.fixture(params=["libqrencode", "segno"])
def engine(request, monkeypatch):
    """Each way the symbol is made: libqrencode when installed, and segno, the fallback."""
    if request.param == "libqrencode" and qr._libqrencode() is None:
        pytest.skip("libqrencode4 is not installed")
    if request.param == "segno":
        monkeypatch.setattr(qr, "_libqrencode", lambda: None)
    return request.param


def test_png_is_a_png_and_the_same_every_time(engine):
    payload = payment_qr_payload(make_shop(), D("8840.00"), PURPOSE)
    first, second = payment_qr_png.__wrapped__(payload), payment_qr_png.__wrapped__(payload)  # not the cache
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert first == second


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools is not installed")
def test_a_real_scanner_reads_the_payment_back(tmp_path, engine):
    # What a banking app sees: decode the PNG with zbar and compare with the payload, Cyrillic included.
    payload = payment_qr_payload(make_shop(), Decimal("32499.23"), "Оплата по счёту № 147 от 03.09.2026")
    image = tmp_path / "qr.png"
    image.write_bytes(payment_qr_png.__wrapped__(payload))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, timeout=30)
    assert decoded.stdout.decode("utf-8").strip() == payload
    assert "|Sum=3249923|" in payload  # 32 499,23 руб. = 3 249 923 kopecks


def test_both_engines_make_a_level_m_symbol_of_the_same_size():
    # Same data, same error level, byte mode, no ECI: the same version, so the same width
    # (the mask may differ: libqrencode picks the best, segno is given mask 0).
    if qr._libqrencode() is None:
        pytest.skip("libqrencode4 is not installed")
    payload = payment_qr_payload(make_shop(), D("24940.50"), PURPOSE)
    fast = qr.qr_matrix(payload)
    library = qr._libqrencode
    try:
        qr._libqrencode = lambda: None
        slow = qr.qr_matrix(payload)
    finally:
        qr._libqrencode = library
    assert len(fast) == len(slow) == len(fast[0])
