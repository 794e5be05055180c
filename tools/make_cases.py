#!/usr/bin/env python3
"""Write synthetic, valid case files for the tests and the benchmark.

    python tools/make_cases.py N OUT_DIR [--seed S] [--as-of YYYY-MM-DD] [--events K]

writes OUT_DIR/bench-00000.yaml ... bench-(N-1).yaml. The mix is a month of a
busy shop's collections: about half the cases are refusals mid-repair (lines
done, partly done and not started, parts bought for the order, a refusal the
client signed or, with two witnesses, did not), the rest completed repairs;
about 15 % of the clients are companies, the others private persons; some cases
are partly paid, some cars are held in storage. Every case has an invoice dated
on or before the as-of date, so every case is due at least one document, and
most are overdue. With --events K (the bench of the register) each case also has a
history of K events, all before the as-of date, that leave its letters as they are:
a promise kept by its own day, then holds each followed by a resume. The same seed always gives the same
files, byte for byte.

Standard library only: it runs with any python3, without the project installed.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DEFAULT_SEED = 7
DEFAULT_AS_OF = date(2026, 11, 20)

REFUSAL_SHARE = 0.5
COMPANY_SHARE = 0.15
PAYMENT_SHARE = 0.3
STORAGE_SHARE_REFUSAL = 0.5
STORAGE_SHARE_COMPLETED = 0.1

KOPECK = Decimal("0.01")

# --- people --------------------------------------------------------------------

# (male form, female form)
SURNAMES = [
    ("Иванов", "Иванова"),
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Васильев", "Васильева"),
    ("Петров", "Петрова"),
    ("Соколов", "Соколова"),
    ("Михайлов", "Михайлова"),
    ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Лебедев", "Лебедева"),
    ("Козлов", "Козлова"),
    ("Ковалевский", "Ковалевская"),
    ("Никитин", "Никитина"),
]
MALE_NAMES = ["Иван", "Алексей", "Сергей", "Дмитрий", "Андрей", "Михаил", "Николай", "Павел", "Артём", "Владимир"]
FEMALE_NAMES = ["Анна", "Мария", "Ольга", "Елена", "Татьяна", "Наталья", "Ирина", "Светлана", "Екатерина", "Юлия"]
# A father's name as the patronymic of a son and of a daughter.
PATRONYMICS = [
    ("Иванович", "Ивановна"),
    ("Петрович", "Петровна"),
    ("Сергеевич", "Сергеевна"),
    ("Андреевич", "Андреевна"),
    ("Олегович", "Олеговна"),
    ("Викторович", "Викторовна"),
    ("Николаевич", "Николаевна"),
    ("Ильич", "Ильинична"),
    ("Дмитриевич", "Дмитриевна"),
    ("Александрович", "Александровна"),
]
# (postal code, settlement, street)
STREETS = [
    ("101000", "г. Москва", "ул. Мясницкая"),
    ("115088", "г. Москва", "ул. Шарикоподшипниковская"),
    ("117452", "г. Москва", "Симферопольский б-р"),
    ("109052", "г. Москва", "ул. Нижегородская"),
    ("125047", "г. Москва", "ул. 1-я Тверская-Ямская"),
    ("129164", "г. Москва", "Ракетный б-р"),
    ("140000", "Московская обл., г. Люберцы", "ул. Мира"),
    ("141701", "Московская обл., г. Долгопрудный", "Институтский пер."),
    ("143900", "Московская обл., г. Балашиха", "ш. Энтузиастов"),
    ("142100", "Московская обл., г. Подольск", "ул. Кирова"),
]
# The shop's staff: who records a refusal, and who can witness it.
RECORDERS = ["Кузнецов К. К., мастер-приёмщик", "Белов А. Н., мастер-приёмщик", "Морозова Т. И., администратор"]
WITNESSES = [
    "Смирнов А. А., автослесарь",
    "Орлова Е. В., администратор",
    "Фролов П. С., автоэлектрик",
    "Зайцев М. Ю., слесарь-моторист",
    "Григорьев Д. В., автослесарь",
]
REFUSAL_REASONS = [
    "Клиент счёл стоимость ремонта завышенной",
    "Клиент решил продать автомобиль",
    "Клиент нашёл сервис дешевле",
    "Клиент не согласен со сроками ремонта",
    "Клиент сообщил, что нет денег на запчасти",
]
# Channels a client can sign the act through; the others leave the act unsigned.
SIGNABLE_CHANNELS = ("in_person", "written")
CHANNELS = ["in_person", "in_person", "phone", "written", "email", "messenger"]

# The valid company of cases/vector-company.yaml (checksum-valid ИНН, КПП, ОГРН).
COMPANY_LINES = [
    "  kind: company",
    "  name: ООО «Вектор»",
    '  inn: "5027323640"',
    '  kpp: "502701001"',
    '  ogrn: "1195040778503"',
    "  address: 140000, Московская обл., г. Люберцы, ул. Мира, д. 5, офис 12",
    '  phone: "+7 495 765-43-21"',
    "  email: buh@vector.example",
    "  representative:",
    "    name: Сидоров Сидор Сидорович",
    "    position: Генеральный директор",
    "    basis: Устава",
]
# Company clients repair under a contract with its own penalty and a 30-day answer to a pretension.
COMPANY_TERMS = [
    "terms:",
    "  penalty:",
    "    kind: contract",
    "    rate_percent_per_day: 0.1",
    "    cap_percent: 10",
    "    basis: п. 5.2 договора-заказ-наряда",
    "  pretension_response_days: 30",
]

# --- cars and work -------------------------------------------------------------

CARS = [
    ("Lada", "Vesta"),
    ("Lada", "Granta"),
    ("Kia", "Rio"),
    ("Hyundai", "Solaris"),
    ("Toyota", "Camry"),
    ("Renault", "Logan"),
    ("Volkswagen", "Polo"),
    ("Skoda", "Octavia"),
    ("Haval", "Jolion"),
    ("Chery", "Tiggo 7 Pro"),
]
VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O, Q
PLATE_LETTERS = "АВЕКМНОРСТУХ"  # the Cyrillic letters a Russian plate may use
PLATE_REGIONS = ["77", "97", "99", "177", "197", "199", "777", "797", "799", "50", "90", "150", "190", "750"]


@dataclass(frozen=True)
class Item:
    """One catalogue line: a job or a part, with its usual quantity and price."""

    name: str
    kind: str  # "labor" or "part"
    qty: str
    price: str
    unit: str | None = None


@dataclass(frozen=True)
class Job:
    """A job as the shop sells it: the labour and the parts it needs."""

    labor: Item
    parts: tuple[Item, ...] = ()


def labor(name: str, price: str, qty: str = "1", unit: str | None = None) -> Item:
    return Item(name, "labor", qty, price, unit)


def part(name: str, price: str, qty: str = "1", unit: str | None = None) -> Item:
    return Item(name, "part", qty, price, unit)


JOBS = [
    Job(labor("Диагностика ходовой части", "1500.00")),
    Job(labor("Компьютерная диагностика двигателя", "1800.00")),
    Job(labor("Развал-схождение", "2800.00")),
    Job(labor("Балансировка колёс", "450.00", qty="4")),
    Job(
        labor("Замена масла в двигателе", "1200.00"),
        (part("Масло моторное 5W-40", "950.50", qty="4.5", unit="л"), part("Фильтр масляный", "890.00")),
    ),
    Job(
        labor("Замена тормозных колодок передних", "2500.00"),
        (part("Колодки тормозные передние", "3400.00", unit="компл."),),
    ),
    Job(
        labor("Замена рычага передней подвески", "2400.00", qty="1.5", unit="н/ч"),
        (part("Рычаг передний левый", "6200.00"), part("Сайлентблок рычага", "850.00", qty="2")),
    ),
    Job(
        labor("Замена ремня ГРМ", "6500.00"),
        (
            part("Комплект ГРМ (ремень, ролики)", "12800.00", unit="компл."),
            part("Помпа охлаждающей жидкости", "4350.50"),
        ),
    ),
    Job(labor("Замена сцепления", "9800.00"), (part("Комплект сцепления", "15400.00", unit="компл."),)),
    Job(labor("Замена амортизаторов задних", "3600.00"), (part("Амортизатор задний", "4200.00", qty="2"),)),
    Job(labor("Замена свечей зажигания", "1400.00"), (part("Свеча зажигания", "620.00", qty="4"),)),
    Job(labor("Заправка кондиционера", "2900.00"), (part("Хладагент R134a", "1800.00", qty="0.5", unit="кг"),)),
]


@dataclass(frozen=True)
class Line:
    """One line of the order as it stands on the day of the invoice."""

    item: Item
    status: str  # "done", "partial" or "not_started"
    percent_done: int | None = None
    purchased: bool = False

    def full_amount(self) -> Decimal:
        return to_kopecks(Decimal(self.item.qty) * Decimal(self.item.price))

    def billed_amount(self) -> Decimal:
        """What the client owes for the line: the work done and the parts bought (as the pipeline counts it)."""
        full = Decimal(self.item.qty) * Decimal(self.item.price)
        if self.status == "done":
            return to_kopecks(full)
        if self.status == "partial" and self.percent_done is not None:
            return to_kopecks(full * self.percent_done / 100)
        return to_kopecks(full) if self.purchased else Decimal(0)


# --- small helpers -------------------------------------------------------------


def to_kopecks(amount: Decimal) -> Decimal:
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def money(amount: Decimal) -> str:
    """An amount as a case file writes it: 1500.00."""
    return f"{to_kopecks(amount):.2f}"


def quoted(text: str) -> str:
    """A YAML double-quoted string: identifiers stay text, never numbers."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def days_between(rng: random.Random, first: date, last: date) -> date:
    """A random day from `first` to `last`, both included (`first` when `last` is earlier)."""
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


# --- the parts of a case -------------------------------------------------------


def person_lines(index: int, rng: random.Random) -> list[str]:
    male = rng.random() < 0.5
    surname = rng.choice(SURNAMES)[0 if male else 1]
    given = rng.choice(MALE_NAMES if male else FEMALE_NAMES)
    patronymic = rng.choice(PATRONYMICS)[0 if male else 1]
    postcode, settlement, street = rng.choice(STREETS)
    address = f"{postcode}, {settlement}, {street}, д. {rng.randint(1, 120)}, кв. {rng.randint(1, 350)}"
    lines = ["  kind: person", f"  name: {surname} {given} {patronymic}", f"  address: {address}"]
    if rng.random() < 0.85:
        phone = (
            f"+7 9{rng.randint(0, 99):02d} {rng.randint(100, 999)}-{rng.randint(0, 99):02d}-{rng.randint(0, 99):02d}"
        )
        lines.append(f"  phone: {quoted(phone)}")
    if rng.random() < 0.3:
        lines.append(f"  email: client{index:05d}@example.ru")
    return lines


def vehicle_lines(rng: random.Random) -> list[str]:
    make, model = rng.choice(CARS)
    lines = [f"  make: {make}", f"  model: {model}", f"  year: {rng.randint(2008, 2025)}"]
    if rng.random() < 0.8:
        lines.append(f"  vin: {quoted(''.join(rng.choice(VIN_ALPHABET) for _ in range(17)))}")
    letters = [rng.choice(PLATE_LETTERS) for _ in range(3)]
    plate = f"{letters[0]}{rng.randint(1, 999):03d}{letters[1]}{letters[2]}{rng.choice(PLATE_REGIONS)}"
    lines.append(f"  plate: {quoted(plate)}")
    if rng.random() < 0.7:
        lines.append(f"  mileage_km: {rng.randrange(5_000, 300_000, 10)}")
    return lines


def completed_work(rng: random.Random) -> list[Line]:
    """A finished repair: every line done."""
    jobs = rng.sample(JOBS, rng.randint(1, 4))
    return [Line(item, "done") for job in jobs for item in (job.labor, *job.parts)]


def refused_work(rng: random.Random) -> list[Line]:
    """A repair stopped midway: the first jobs finished, one in progress, the rest not begun."""
    jobs = rng.sample(JOBS, rng.randint(2, 4))
    finished = rng.randint(1, len(jobs) - 1)
    lines: list[Line] = []
    for position, job in enumerate(jobs):
        if position < finished:
            lines += [Line(item, "done") for item in (job.labor, *job.parts)]
        elif position == finished and rng.random() < 0.6:
            # Started: the parts are fitted, the labour is partly done.
            lines.append(Line(job.labor, "partial", percent_done=rng.randint(10, 90)))
            lines += [Line(item, "done") for item in job.parts]
        else:
            # Not begun; parts ordered for it may already have been bought.
            bought = 0.6 if position == finished else 0.3
            lines.append(Line(job.labor, "not_started"))
            lines += [Line(item, "not_started", purchased=rng.random() < bought) for item in job.parts]
    return lines


def work_lines(lines: list[Line]) -> list[str]:
    text = ["work:"]
    for line in lines:
        item = line.item
        text += [f"  - name: {item.name}", f"    kind: {item.kind}", f"    qty: {item.qty}"]
        if item.unit is not None:
            text.append(f"    unit: {item.unit}")
        text += [f"    price: {item.price}", f"    status: {line.status}"]
        if line.percent_done is not None:
            text.append(f"    percent_done: {line.percent_done}")
        if line.purchased:
            text.append("    purchased: true")
    return text


def refusal_lines(rng: random.Random, at: datetime) -> list[str]:
    channel = rng.choice(CHANNELS)
    recorder = rng.choice(RECORDERS)
    signed = channel in SIGNABLE_CHANNELS and rng.random() < 0.5
    lines = [
        "refusal:",
        f"  at: {at:%Y-%m-%dT%H:%M}",
        f"  channel: {channel}",
        f"  reason: {rng.choice(REFUSAL_REASONS)}",
        f"  recorded_by: {recorder}",
        f"  client_signed: {'true' if signed else 'false'}",
    ]
    if not signed:
        lines.append("  witnesses:")
        lines += [f"    - {name}" for name in rng.sample(WITNESSES, 2)]
    return lines


def invoice_lines(rng: random.Random, index: int, invoice_date: date) -> list[str]:
    lines = ["invoice:", f"  number: {quoted(str(10_000 + index))}", f"  date: {invoice_date}"]
    if rng.random() < 0.3:
        lines.append(f"  due_date: {invoice_date + timedelta(days=rng.randint(3, 14))}")
    return lines


def payment_lines(rng: random.Random, total: Decimal, invoice_date: date, as_of: date, company: bool) -> list[str]:
    """One or two payments that together cover 20-70 % of the total, in whole hundreds of roubles."""
    paid = (total * rng.randint(20, 70) / 100 // 100) * 100
    if paid <= 0:
        return []
    parts = [paid] if paid < 2000 or rng.random() < 0.7 else [paid // 200 * 100, paid - paid // 200 * 100]
    lines = ["payments:"]
    day = invoice_date
    for amount in parts:
        day = min(as_of, day + timedelta(days=rng.randint(0, 20)))
        method = "transfer" if company else rng.choice(["cash", "card", "card", "transfer"])
        lines += [f"  - date: {day}", f"    amount: {money(amount)}", f"    method: {method}"]
    return lines


def storage_lines(rng: random.Random, start: date, as_of: date) -> list[str]:
    """The car held from `start`; a quarter of them already collected."""
    start = min(start, as_of)
    end = days_between(rng, start, as_of) if rng.random() < 0.25 else None
    return ["storage:", f"  start: {start}", f"  end: {end if end is not None else 'null'}"]


# --- a whole case --------------------------------------------------------------


def event_lines(count: int, first: date, as_of: date) -> list[str]:
    """`count` events spread from `first` to the day before `as_of`: a promise to pay by its own day,
    then a hold and a resume by turns, the last one a resume when `count` is odd (no hold in force).
    Every event is before `as_of`, so the promise is kept by then and the letters are those of the
    case without events; an invoice of the as-of day (the order is at least 3 days older) has its
    events the day before, after the order."""
    if count <= 0:
        return []
    last = as_of - timedelta(days=1)
    first = min(first, last)
    span = (last - first).days
    days = [first + timedelta(days=span * (number + 1) // (count + 1)) for number in range(count)]
    lines = ["events:", "  - kind: promise", f"    date: {days[0]}", f"    pay_by: {days[0]}"]
    for number, day in enumerate(days[1:]):
        kind = "hold" if number % 2 == 0 else "resume"
        lines += [f"  - kind: {kind}", f"    date: {day}", "    reason: переговоры с заказчиком"]
    return lines


def case_text(index: int, rng: random.Random, as_of: date, events: int = 0) -> str:
    """The YAML text of case number `index`, drawing every choice from `rng`."""
    company = rng.random() < COMPANY_SHARE
    refused = rng.random() < REFUSAL_SHARE
    order_date = as_of - timedelta(days=rng.randint(3, 120))
    client = list(COMPANY_LINES) if company else person_lines(index, rng)
    work = refused_work(rng) if refused else completed_work(rng)
    total = sum((line.billed_amount() for line in work), Decimal(0))

    text = [f"id: BENCH-{index:05d}", "client:", *client, "vehicle:", *vehicle_lines(rng)]
    text += ["order:", f"  number: {quoted(f'ЗН-{index + 1:05d}')}", f"  date: {order_date}"]
    if refused:
        text.append(f"  estimate: {money(sum((line.full_amount() for line in work), Decimal(0)))}")
    text += work_lines(work)

    if refused:
        # The client refuses within two days of the order (never later than the day before as-of).
        refusal_day = min(order_date + timedelta(days=rng.randint(0, 2)), as_of - timedelta(days=1))
        at = datetime(
            refusal_day.year, refusal_day.month, refusal_day.day, rng.randint(9, 19), rng.choice([0, 15, 30, 45])
        )
        text += refusal_lines(rng, at)
        invoice_date = min(refusal_day + timedelta(days=rng.randint(0, 1)), as_of)
        storage_start = refusal_day + timedelta(days=1)
    else:
        invoice_date = min(order_date + timedelta(days=rng.randint(0, 3)), as_of)
        storage_start = invoice_date + timedelta(days=1)
    text += invoice_lines(rng, index, invoice_date)

    if rng.random() < PAYMENT_SHARE:
        text += payment_lines(rng, total, invoice_date, as_of, company)
    storage_share = STORAGE_SHARE_REFUSAL if refused else STORAGE_SHARE_COMPLETED
    if rng.random() < storage_share:
        text += storage_lines(rng, storage_start, as_of)
    if company:
        text += COMPANY_TERMS
    text += event_lines(events, invoice_date, as_of)
    return "\n".join(text) + "\n"


def write_cases(
    count: int, folder: Path, seed: int = DEFAULT_SEED, as_of: date = DEFAULT_AS_OF, events: int = 0
) -> list[Path]:
    """Write `count` cases into `folder` (created) and return their paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        path = folder / f"bench-{index:05d}.yaml"
        with open(path, "w", encoding="utf-8", newline="\n") as file:
            file.write(case_text(index, rng, as_of, events))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N synthetic, valid case files (bench-00000.yaml, ...).")
    parser.add_argument("count", type=int, metavar="N", help="how many cases")
    parser.add_argument("folder", type=Path, metavar="OUT_DIR", help="where to write them (created)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF,
        metavar="YYYY-MM-DD",
        help=f"the day every case must be due a document on (default {DEFAULT_AS_OF})",
    )
    parser.add_argument("--events", type=int, default=0, metavar="K", help="events in each case's history (default 0)")
    args = parser.parse_args(argv)
    if args.count < 0 or args.events < 0:
        parser.error("N and K must be 0 or more")
    write_cases(args.count, args.folder, args.seed, args.as_of, args.events)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
