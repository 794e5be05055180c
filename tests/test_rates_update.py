"""`pipeline rates update` against a recorded answer of the Bank of Russia's web service: no test
here opens a network connection (every download goes through a fake `urlopen`).

tests/data/cbr-keyrate-2025-12-15--2026-02-20.xml is built from the service's documented format
(DailyInfo, method KeyRateXML: a SOAP envelope, KeyRateXMLResult/KeyRate, one <KR> per working day
with <DT> and <Rate>, newest first) with the rates of the Bank of Russia's decisions of 19.12.2025
(16.00 % from 22.12.2025) and 13.02.2026 (15.50 % from 16.02.2026); 31.12.2025 and 01–11.01.2026 are
days off and have no record.
"""

from __future__ import annotations

import io
import urllib.error
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.commands import rates as rates_command
from pipeline.commands.rates import parse_key_rate_response, rate_changes, run_rates_update
from pipeline.errors import EnvironmentProblem
from pipeline.figures.rates import format_key_rates, load_key_rates, load_key_rates_from
from pipeline.models import KeyRate

RECORDED = Path(__file__).resolve().parent / "data" / "cbr-keyrate-2025-12-15--2026-02-20.xml"
TODAY = date(2026, 2, 20)
D = Decimal


class FakeService:
    """Stands in for urllib.request.urlopen: records each request and answers `body` (or raises `error`)."""

    def __init__(self, body: bytes = b"", error: BaseException | None = None):
        self.body, self.error = body, error
        self.requests: list[tuple[object, float]] = []

    def __call__(self, request, timeout):
        self.requests.append((request, timeout))
        if self.error is not None:
            raise self.error
        return io.BytesIO(self.body)


def recorded() -> FakeService:
    return FakeService(RECORDED.read_bytes())


def write_table(path: Path, *rows: str) -> Path:
    path.write_text("effective_from,rate_percent,confirmed\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_the_recorded_answer_reads_as_daily_rates_and_three_changes():
    observations = parse_key_rate_response(RECORDED.read_bytes())
    # 15.12.2025–20.02.2026, working days only: weeks of 15.12 and 22.12: 5 + 5; 29–30.12: 2 (31.12 is a day
    # off); 01–11.01.2026: 0 (holidays, 09.01 moved from 03.01, then a weekend); 12.01–20.02: 6 weeks × 5 = 30;
    # 5 + 5 + 2 + 30 = 42
    assert observations[0] == (date(2025, 12, 15), D("16.50"))
    assert observations[-1] == (date(2026, 2, 20), D("15.50"))
    assert len(observations) == 42
    assert rate_changes(observations) == [
        (date(2025, 12, 15), D("16.50")),  # the first day answered
        (date(2025, 12, 22), D("16.00")),  # decision of 19.12.2025
        (date(2026, 2, 16), D("15.50")),  # decision of 13.02.2026
    ]


def test_update_confirms_the_rows_the_bank_published_and_keeps_the_rest(tmp_path):
    path = write_table(
        tmp_path / "key_rates.csv",
        "2025-10-27,16.50,no",
        "2025-12-22,16.00,no",
        "2026-02-16,15.50,no",
        "2026-03-23,15.00,no",
    )
    service = recorded()
    report = run_rates_update(path, TODAY, service)
    # 27.10.2025 is before the answered period (15.12.2025–20.02.2026), and 16.50 % is still in force on 15.12:
    # kept as it was; 22.12.2025 and 16.02.2026 are the Bank's changes: confirmed; 23.03.2026 is after the
    # period: kept unconfirmed
    assert load_key_rates_from(path) == (
        KeyRate(date(2025, 10, 27), D("16.50"), False),
        KeyRate(date(2025, 12, 22), D("16.00"), True),
        KeyRate(date(2026, 2, 16), D("15.50"), True),
        KeyRate(date(2026, 3, 23), D("15.00"), False),
    )
    assert report.lines == ["подтверждена: 22.12.2025 — 16,00 %", "подтверждена: 16.02.2026 — 15,50 %"]
    assert report.summary == (
        f"Таблица ключевых ставок {path}: данные Банка России за 15.12.2025–20.02.2026 (42 дн.); строк: 4, "
        "подтверждено сейчас: 2, добавлено: 0, убрано: 0, не подтверждено: 2"
    )
    request, timeout = service.requests[0]
    assert (request.full_url, request.get_method(), timeout) == (rates_command.SERVICE_URL, "POST", 30)
    assert request.get_header("Soapaction") == '"http://web.cbr.ru/KeyRateXML"'
    body = request.data.decode()
    # from the table's first date to today
    assert "<fromDate>2025-10-27T00:00:00</fromDate><ToDate>2026-02-20T00:00:00</ToDate>" in body


def test_update_replaces_rows_the_bank_contradicts(tmp_path):
    path = write_table(
        tmp_path / "key_rates.csv",
        "2025-10-27,16.50,yes",
        "2025-12-29,16.00,no",  # a week late: the Bank's 16.00 % began on 22.12.2025
        "2026-02-16,15.00,no",  # a wrong rate: the Bank's is 15.50 %
    )
    report = run_rates_update(path, TODAY, recorded())
    assert load_key_rates_from(path) == (
        KeyRate(date(2025, 10, 27), D("16.50"), True),
        KeyRate(date(2025, 12, 22), D("16.00"), True),
        KeyRate(date(2026, 2, 16), D("15.50"), True),
    )
    assert report.lines == [
        "добавлена: 22.12.2025 — 16,00 %",
        "добавлена: 16.02.2026 — 15,50 %",
        "убрана (по данным Банка России такой ставки не было): 29.12.2025 — 16,00 %",
        "убрана (по данным Банка России такой ставки не было): 16.02.2026 — 15,00 %",
    ]


def test_a_table_whose_rate_before_the_period_differs_gets_the_first_day_answered(tmp_path):
    path = write_table(tmp_path / "key_rates.csv", "2025-09-15,17.00,yes")
    run_rates_update(path, TODAY, recorded())
    # on 15.12.2025 the Bank answers 16.50 %, not the table's 17.00 %: that day becomes a row (the Bank's
    # data here cannot tell the day 16.50 % began: the shipped table has it from 27.10.2025)
    assert [(row.effective_from, row.rate_percent, row.confirmed) for row in load_key_rates_from(path)] == [
        (date(2025, 9, 15), D("17.00"), True),
        (date(2025, 12, 15), D("16.50"), True),
        (date(2025, 12, 22), D("16.00"), True),
        (date(2026, 2, 16), D("15.50"), True),
    ]


def test_the_first_update_starts_from_the_shipped_table(tmp_path):
    path = tmp_path / "key_rates.csv"
    report = run_rates_update(path, TODAY, recorded())
    # the shipped rows of 22.12.2025 and 16.02.2026 are already confirmed and agree: nothing changes
    assert path.read_text(encoding="utf-8") == format_key_rates(load_key_rates())
    assert (report.confirmed, report.added, report.removed) == ((), (), ())


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (urllib.error.URLError(OSError(-3, "Temporary failure in name resolution")), "[Errno -3] Temporary failure"),
        (TimeoutError("timed out"), "timed out"),
        (ConnectionResetError(104, "Connection reset by peer"), "[Errno 104] Connection reset by peer"),
        (urllib.error.HTTPError(rates_command.SERVICE_URL, 503, "Service Unavailable", {}, None), "HTTP 503"),
    ],
)
def test_offline_is_one_line_and_the_table_is_untouched(tmp_path, error, reason):
    path = write_table(tmp_path / "key_rates.csv", "2025-12-22,16.00,no")
    before = path.read_text(encoding="utf-8")
    with pytest.raises(EnvironmentProblem) as caught:
        run_rates_update(path, TODAY, FakeService(error=error))
    message = str(caught.value)
    assert message.startswith(f"нет связи с сайтом Банка России (www.cbr.ru: {reason}")
    assert message.endswith("): обновите таблицу позже или вручную")
    assert "\n" not in message and caught.value.exit_code == 3
    assert path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
            b"<faultcode>soap:Server</faultcode><faultstring>Server was unable to process request.</faultstring>"
            b"</soap:Fault></soap:Body></soap:Envelope>",
            "ошибка сервиса: Server was unable to process request.",
        ),
        (b"<html><body>Access denied</body></html>", "в ответе нет ставок"),
        (b"Service temporarily unavailable", "не XML: syntax error: line 1, column 0"),
        (b"<KeyRate><KR><DT>2026-02-16T00:00:00+03:00</DT><Rate>n/a</Rate></KR></KeyRate>", "запись «2026-02-16"),
    ],
)
def test_an_answer_that_is_not_the_service_is_an_error(tmp_path, body, detail):
    path = write_table(tmp_path / "key_rates.csv", "2025-12-22,16.00,no")
    with pytest.raises(EnvironmentProblem) as caught:
        run_rates_update(path, TODAY, FakeService(body))
    assert str(caught.value).startswith(f"сайт Банка России ответил не так, как ожидалось ({detail}")
    assert load_key_rates_from(path) == (KeyRate(date(2025, 12, 22), D("16.00"), False),)


def test_a_result_sent_as_escaped_text_is_read_too():
    body = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<KeyRateXMLResponse xmlns="http://web.cbr.ru/"><KeyRateXMLResult>'
        "&lt;KeyRate&gt;&lt;KR&gt;&lt;DT&gt;2026-02-16T00:00:00+03:00&lt;/DT&gt;&lt;Rate&gt;15.50&lt;/Rate&gt;&lt;/KR&gt;"
        "&lt;/KeyRate&gt;</KeyRateXMLResult></KeyRateXMLResponse></soap:Body></soap:Envelope>"
    )
    assert parse_key_rate_response(body.encode()) == ((date(2026, 2, 16), D("15.50")),)


def test_the_command_line_prints_the_changes_and_exits_0(tmp_path, monkeypatch, capsys):
    path = write_table(tmp_path / "key_rates.csv", "2025-10-27,16.50,no", "2025-12-22,16.00,no")
    monkeypatch.setattr(rates_command, "urlopen", recorded())
    assert cli.main(["rates", "update", "--file", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["подтверждена: 22.12.2025 — 16,00 %", "добавлена: 16.02.2026 — 15,50 %"]
    assert err.startswith(f"Таблица ключевых ставок {path}: данные Банка России за 15.12.2025–20.02.2026")


def test_the_command_line_offline_says_one_russian_line_and_exits_3(tmp_path, monkeypatch, capsys):
    path = write_table(tmp_path / "key_rates.csv", "2025-12-22,16.00,no")
    monkeypatch.setattr(rates_command, "urlopen", FakeService(error=urllib.error.URLError("timed out")))
    assert cli.main(["rates", "update", "--file", str(path)]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "ошибка: нет связи с сайтом Банка России (www.cbr.ru: timed out): обновите таблицу позже или вручную\n"
    )
