"""`rates update`: the Bank of Russia's key-rate history from its public web service,
merged into the user's key-rate table, the rows it received marked confirmed.

The service is DailyInfo (https://www.cbr.ru/development/dws/), SOAP method
KeyRateXML(fromDate, ToDate); its answer holds one <KR> record per day published,
<DT>2026-02-16T00:00:00+03:00</DT><Rate>15.50</Rate>, newest first. A change of the
rate is the first day published with the new value. Rows of the user's table dated
inside the period the Bank of Russia answered for are replaced by its data; rows
before or after that period are kept as they were.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import urllib.error
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

from pipeline.errors import EnvironmentProblem, UsageError
from pipeline.figures.rates import (
    describe_key_rates,
    format_day,
    format_key_rates,
    load_key_rates,
    load_key_rates_from,
)
from pipeline.models import KeyRate

SERVICE_URL = "https://www.cbr.ru/DailyInfoWebServ/DailyInfo.asmx"
SERVICE_HOST = "www.cbr.ru"
SOAP_ACTION = "http://web.cbr.ru/KeyRateXML"
TIMEOUT_SECONDS = 30
# The whole history since 2013 is a few hundred kilobytes; anything far larger is not the service.
MAX_RESPONSE_BYTES = 8 * 1024 * 1024

Observation = tuple[date, Decimal]
Opener = Callable[..., Any]  # urllib.request.urlopen's shape: (request, timeout=...) -> response


@dataclass(frozen=True)
class RatesReport:
    """What `rates update` did to the table at `path`."""

    path: Path
    first_day: date  # the period the Bank of Russia's data covered
    last_day: date
    observations: int
    table: tuple[KeyRate, ...]  # the table as written
    confirmed: tuple[KeyRate, ...]  # rows that were in the table unconfirmed and now are confirmed
    added: tuple[KeyRate, ...]  # rows the table did not have
    removed: tuple[KeyRate, ...]  # rows the Bank of Russia's data contradict

    @property
    def exit_code(self) -> int:
        return 0

    @property
    def lines(self) -> list[str]:
        """One line per row changed, for stdout."""
        return (
            [f"подтверждена: {describe_key_rates([row])}" for row in self.confirmed]
            + [f"добавлена: {describe_key_rates([row])}" for row in self.added]
            + [
                f"убрана (по данным Банка России такой ставки не было): {describe_key_rates([row])}"
                for row in self.removed
            ]
        )

    @property
    def summary(self) -> str:
        unconfirmed = sum(1 for row in self.table if not row.confirmed)
        return (
            f"Таблица ключевых ставок {self.path}: данные Банка России за {format_day(self.first_day)}–"
            f"{format_day(self.last_day)} ({self.observations} дн.); строк: {len(self.table)}, подтверждено сейчас: "
            f"{len(self.confirmed)}, добавлено: {len(self.added)}, убрано: {len(self.removed)}, "
            f"не подтверждено: {unconfirmed}"
        )


def run_rates_update(path: Path, today: date, open_url: Opener | None = None) -> RatesReport:
    """Download the history from the table's first date to `today`, merge it into the table at
    `path` (the shipped table when there is no file yet) and write it there."""
    if path.exists() and not path.is_file():
        raise UsageError(f"--file {path}: это папка, а нужен файл таблицы")
    if not path.parent.is_dir():
        raise UsageError(f"--file {path}: нет папки {path.parent}")
    current = load_key_rates_from(path) if path.exists() else load_key_rates()
    observations = download_key_rates(current[0].effective_from, today, open_url if open_url else urlopen)
    table = merge_key_rates(current, observations)
    write_table(path, table)
    before = {(row.effective_from, row.rate_percent): row for row in current}
    after = {(row.effective_from, row.rate_percent) for row in table}
    return RatesReport(
        path=path,
        first_day=observations[0][0],
        last_day=observations[-1][0],
        observations=len(observations),
        table=table,
        confirmed=tuple(row for row in table if row.confirmed and _was_unconfirmed(before, row)),
        added=tuple(row for row in table if (row.effective_from, row.rate_percent) not in before),
        removed=tuple(row for key, row in before.items() if key not in after),
    )


def _was_unconfirmed(before: dict[tuple[date, Decimal], KeyRate], row: KeyRate) -> bool:
    earlier = before.get((row.effective_from, row.rate_percent))
    return earlier is not None and not earlier.confirmed


def download_key_rates(first_day: date, last_day: date, open_url: Opener) -> tuple[Observation, ...]:
    """The key rate of each day the Bank of Russia published between the two dates."""
    request = Request(
        SERVICE_URL,
        data=soap_request(first_day, last_day).encode("utf-8"),
        headers={
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": f'"{SOAP_ACTION}"',
            "User-Agent": "autoservice-pipeline (pipeline rates update)",
        },
        method="POST",
    )
    try:
        with open_url(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as err:
        raise EnvironmentProblem(offline_message(f"HTTP {err.code} {err.reason}")) from err
    except urllib.error.URLError as err:
        raise EnvironmentProblem(offline_message(str(err.reason))) from err
    except (OSError, http.client.HTTPException) as err:
        raise EnvironmentProblem(offline_message(str(err) or type(err).__name__)) from err
    if len(data) > MAX_RESPONSE_BYTES:
        raise EnvironmentProblem(unexpected_message(f"ответ больше {MAX_RESPONSE_BYTES // (1024 * 1024)} МБ"))
    return parse_key_rate_response(data)


def offline_message(reason: str) -> str:
    return f"нет связи с сайтом Банка России ({SERVICE_HOST}: {reason}): обновите таблицу позже или вручную"


def unexpected_message(detail: str) -> str:
    return (
        f"сайт Банка России ответил не так, как ожидалось ({detail}): таблица не изменена — "
        "обновите её позже или вручную"
    )


def soap_request(first_day: date, last_day: date) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        '<soap:Body><KeyRateXML xmlns="http://web.cbr.ru/">'
        f"<fromDate>{first_day.isoformat()}T00:00:00</fromDate>"
        f"<ToDate>{last_day.isoformat()}T00:00:00</ToDate>"
        "</KeyRateXML></soap:Body></soap:Envelope>"
    )


def parse_key_rate_response(data: bytes) -> tuple[Observation, ...]:
    """The (day, rate) records of a KeyRateXML answer, oldest first; EnvironmentProblem when
    the answer is not one (a SOAP fault, another page, no records)."""
    root = _parse_xml(data)
    records = [element for element in root.iter() if _local(element.tag) == "KR"]
    if not records:
        # Some answers carry the result as escaped XML text rather than as elements.
        inner = next((el.text for el in root.iter() if _local(el.tag) == "KeyRateXMLResult" and el.text), "")
        if "<" in inner:
            records = [element for element in _parse_xml(inner.encode()).iter() if _local(element.tag) == "KR"]
    if not records:
        fault = next((el.text for el in root.iter() if _local(el.tag) == "faultstring" and el.text), None)
        raise EnvironmentProblem(unexpected_message(f"ошибка сервиса: {fault}" if fault else "в ответе нет ставок"))
    by_day: dict[date, Decimal] = {}
    for record in records:
        day, rate = _parse_record(record)
        if by_day.setdefault(day, rate) != rate:
            raise EnvironmentProblem(unexpected_message(f"на {format_day(day)} две разные ставки"))
    return tuple(sorted(by_day.items()))


def _parse_xml(data: bytes) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        raise EnvironmentProblem(unexpected_message(f"не XML: {err}")) from err


def _parse_record(record: ET.Element) -> Observation:
    fields = {_local(child.tag): (child.text or "").strip() for child in record}
    day_text, rate_text = fields.get("DT", ""), fields.get("Rate", "")
    try:
        day = date.fromisoformat(day_text[:10])
        rate = Decimal(rate_text.replace(",", "."))
    except (ValueError, InvalidOperation) as err:
        raise EnvironmentProblem(unexpected_message(f"запись «{day_text} {rate_text}» не прочитать")) from err
    if not rate.is_finite() or not 0 <= rate <= 100:
        raise EnvironmentProblem(unexpected_message(f"ставка «{rate_text}» на {format_day(day)} вне 0..100 %"))
    return day, rate.quantize(Decimal("0.01"))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def rate_changes(observations: Sequence[Observation]) -> list[Observation]:
    """The first observation, then each day the published rate differs from the day before."""
    changes = [observations[0]]
    for day, rate in observations[1:]:
        if rate != changes[-1][1]:
            changes.append((day, rate))
    return changes


def merge_key_rates(current: Sequence[KeyRate], observations: Sequence[Observation]) -> tuple[KeyRate, ...]:
    """`current` with its rows inside the observed period replaced by the Bank of Russia's changes,
    each confirmed. The first observed day becomes a row only when the row in force before it has
    another rate (the Bank's data cannot tell when a rate already in force began)."""
    first_day, last_day = observations[0][0], observations[-1][0]
    rows = sorted(current, key=lambda row: row.effective_from)
    before = [row for row in rows if row.effective_from < first_day]
    after = [row for row in rows if row.effective_from > last_day]
    changes = rate_changes(observations)
    if before and before[-1].rate_percent == changes[0][1]:
        changes = changes[1:]
    official = [KeyRate(day, rate, True) for day, rate in changes]
    return (*before, *official, *after)


def write_table(path: Path, table: Sequence[KeyRate]) -> None:
    """Write the table in place atomically: a reader sees the old file or the new one."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            file.write(format_key_rates(table))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
