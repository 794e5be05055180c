"""What one template may cost: the limits of a document's render and of the
template file itself, and the budget a render spends against them.

A template is code the shop's lawyer writes; a mistake (or a hostile file)
must end in a clear message, not in a render that runs until it is killed
or eats the machine's memory. A process-wide memory limit (setrlimit) would
also kill the LibreOffice workers, and a signal-based timeout works only in
the main thread, so the limits are kept by the sandbox itself (sandbox.py):
every loop iteration and macro call ticks the document's Budget (time,
repetitions, characters), and every operation that can make a long string
or list from a short one (`*`, `%`, `~`, `+`, format, center, join …) is
checked before it runs. The defaults are far above what real templates need
(the shipped ones render in 2 ms: about 40 KB of XML, 15 loop iterations,
under 4 000 characters of tags).
"""

from __future__ import annotations

import contextvars
import math
import re
import time
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import TemplateError
from pipeline.word.parts import TEXT_PARTS
from pipeline.word.tags import TAG

MIB = 2**20


@dataclass(frozen=True)
class Limits:
    """The limits of one document's render and of one template file."""

    seconds: float = 10.0  # wall-clock time to render one document (all its parts)
    repetitions: int = 100_000  # loop iterations and macro calls in one document
    document_chars: int = 20_000_000  # text one document may produce: its output and every string built on the way
    text_chars: int = 1_000_000  # one string (or list, counted as it prints) built by the template
    range_items: int = 10_000  # numbers one range() may give
    number_digits: int = 1_000  # digits of an integer built by `*` or `**`
    file_bytes: int = 200 * MIB  # the .docx file itself
    part_bytes: int = 50 * MIB  # one unpacked part: a picture, a font
    text_part_bytes: int = 10 * MIB  # one unpacked text part (body, header …)
    tag_chars: int = 100_000  # characters inside the tags of one text part: compiling costs ~10 µs each
    package_bytes: int = 200 * MIB  # all parts unpacked
    compression_ratio: int = 200  # unpacked/packed for a part over 1 MB; Word's XML packs 5–30 times
    package_parts: int = 5_000


DEFAULT_LIMITS = Limits()


class LimitExceeded(Exception):
    """A render went past a limit or hit an arithmetic error: what is wrong and what to do, in Russian."""

    def __init__(self, problem: str, advice: str):
        super().__init__(f"{problem} — {advice}")
        self.problem = problem
        self.advice = advice


def number(value: float) -> str:
    """10000 → «10 000»."""
    return f"{value:,.0f}".replace(",", " ")


class Budget:
    """What the document being rendered may still spend. Unlimited outside a render."""

    __slots__ = ("limits", "deadline", "repetitions", "chars")

    def __init__(self, limits: Limits, deadline: float, repetitions: float, chars: float):
        self.limits = limits
        self.deadline = deadline
        self.repetitions = repetitions
        self.chars = chars

    def tick(self, chars: int) -> None:
        """One loop iteration or macro call, repeating `chars` characters of the template's own text."""
        self.repetitions -= 1
        if self.repetitions < 0:
            raise LimitExceeded(
                f"циклы и макросы шаблона повторились больше {number(self.limits.repetitions)} раз",
                "проверьте вложенные {% for %} и макросы, которые вызывают сами себя",
            )
        self.charge(chars)
        self.check_time()

    def charge(self, chars: int) -> None:
        """`chars` more characters made: printed, or built into a string or list."""
        self.chars -= chars
        if self.chars < 0:
            raise LimitExceeded(
                f"документ по шаблону получается длиннее {number(self.limits.document_chars)} знаков",
                "проверьте циклы {% for %} и повторение текста",
            )

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            seconds = f"{self.limits.seconds:g}".replace(".", ",")
            raise LimitExceeded(
                f"шаблон собирается дольше {seconds} с и прерван",
                "проверьте циклы {% for %} и макросы, которые вызывают сами себя",
            )


_UNLIMITED = Budget(DEFAULT_LIMITS, math.inf, math.inf, math.inf)
_budget: contextvars.ContextVar[Budget] = contextvars.ContextVar("render_budget", default=_UNLIMITED)


def current() -> Budget:
    """The budget of the document being rendered (unlimited time and totals outside a render)."""
    return _budget.get()


@contextmanager
def document_budget(limits: Limits) -> Iterator[Budget]:
    """The budget of one document's render, current inside the `with`."""
    budget = Budget(limits, time.monotonic() + limits.seconds, limits.repetitions, limits.document_chars)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def charge_printed(value: object) -> None:
    """Charge what `{{ value }}` prints to the current budget (called for every value printed: kept short)."""
    budget = _budget.get()
    budget.chars -= 1 + (len(value) if isinstance(value, str) else weight(value, budget.chars))
    if budget.chars < 0:
        budget.charge(0)


def weight(value: object, limit: float) -> int:
    """About how many characters `value` prints as; counting stops once past `limit`."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, bool | None):
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, range):
            total += len(item) * 7
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            if total <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item)
            if total <= limit:
                stack.extend(item)
        else:
            total += 8
    return total


def check_text(operation: str, size: float, limits: Limits) -> None:
    """Refuse an operation that would make a string (or list) of `size` characters."""
    if size > limits.text_chars:
        raise LimitExceeded(
            f"«{operation}» даёт результат длиннее {number(limits.text_chars)} знаков",
            "уменьшите ширину, число повторений или длину текста",
        )


def check_bits(operation: str, bits: float, limits: Limits) -> None:
    """Refuse an integer of `bits` bits and more than `number_digits` digits."""
    if bits > limits.number_digits * math.log2(10):
        raise LimitExceeded(
            f"«{operation}» даёт число больше чем из {number(limits.number_digits)} цифр",
            "проверьте вычисление в шаблоне",
        )


def check_range(length: int, limits: Limits) -> None:
    if length > limits.range_items:
        raise LimitExceeded(
            f"range() на {number(length)} чисел, а допускается не больше {number(limits.range_items)}",
            "уменьшите диапазон цикла",
        )


# One %-conversion: mapping key, flags, width, precision, length modifier, type.
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.DOTALL)


def _spec_number(digits: str) -> float:
    return int(digits) if len(digits) < 10 else math.inf


def percent_size(template: str, args: object, limits: Limits) -> float:
    """An upper bound of the length of `template % args`."""
    conversions = _PERCENT.findall(template)
    size: float = len(template) + len(conversions) * weight(args, limits.text_chars)
    for width, precision, _ in conversions:
        for digits in (width, precision):
            if digits == "*":
                values = args if isinstance(args, tuple) else (args,)
                size += sum(abs(value) for value in values if isinstance(value, int))
            elif digits:
                size += _spec_number(digits)
    return size


def format_spec_size(spec: str) -> float:
    """An upper bound of the padding a str.format field's spec (`>10`, `.3f`, `{:0999999}`) adds."""
    return sum(_spec_number(digits) for digits in re.findall(r"\d+", spec))


def megabytes(size: int) -> str:
    """Whole mebibytes, rounded up: 3 221 225 472 → «3 072»."""
    return number(math.ceil(size / MIB))


_SMALLER = "уменьшите картинки, уберите вложения и сохраните шаблон в Word заново"
_NOT_WORD = "это не обычный документ Word: возьмите исходный шаблон и сохраните его в Word заново"


def _too_big(template_name: str, detail: str, advice: str = _SMALLER) -> TemplateError:
    return TemplateError(f"{template_name}: шаблон слишком велик после распаковки ({detail}) — {advice}")


def check_file_size(template_name: str, size: int, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a template file bigger than any package may unpack to."""
    if size > limits.file_bytes:
        raise TemplateError(
            f"{template_name}: файл шаблона {megabytes(size)} МБ, допускается не больше "
            f"{megabytes(limits.file_bytes)} МБ — уберите из шаблона лишние картинки и вложения"
        )


def check_package(template_name: str, archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a package whose parts, by the sizes its directory declares, unpack beyond the limits.

    Nothing is unpacked here; Python's zipfile never unpacks a part beyond its declared size
    (it fails the CRC check instead), so the declared sizes are what reading can cost.
    """
    parts = archive.infolist()
    if len(parts) > limits.package_parts:
        raise _too_big(
            template_name, f"{number(len(parts))} частей, допускается {number(limits.package_parts)}", _NOT_WORD
        )
    total = 0
    for part in parts:
        limit = limits.text_part_bytes if TEXT_PARTS.match(part.filename) else limits.part_bytes
        if part.file_size > limit:
            raise _too_big(
                template_name,
                f"часть {part.filename}: {megabytes(part.file_size)} МБ, допускается {megabytes(limit)} МБ",
            )
        if part.file_size > MIB and part.file_size > limits.compression_ratio * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            raise _too_big(
                template_name,
                f"часть {part.filename}: {megabytes(part.file_size)} МБ, сжата в {number(ratio)} раз — "
                "так сжимаются только искусственно раздутые файлы",
                _NOT_WORD,
            )
        total += part.file_size
    if total > limits.package_bytes:
        raise _too_big(template_name, f"всего {megabytes(total)} МБ, допускается {megabytes(limits.package_bytes)} МБ")


def check_tags(template_name: str, part_name: str, xml: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a part with more tag text than Jinja compiles in about a second."""
    size = sum(len(tag) for tag in TAG.findall(xml))
    if size > limits.tag_chars:
        raise TemplateError(
            f"{template_name}: в {part_name} {number(size)} знаков в тегах, допускается не больше "
            f"{number(limits.tag_chars)} — шаблон слишком сложен: упростите теги или разделите шаблон"
        )


def check_template_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse (TemplateError) a template file too big, unpacking too big or with too much tag text, reading
    no more than the limits allow: for whoever reads a template's parts before rendering it."""
    try:
        check_file_size(path.name, path.stat().st_size, limits)
        with zipfile.ZipFile(path) as archive:
            check_package(path.name, archive, limits)
            for name in filter(TEXT_PARTS.match, archive.namelist()):
                text = re.sub(r"<[^>]+>", "", archive.read(name).decode("utf-8", "replace"))
                check_tags(path.name, name, text, limits)
    except (zipfile.BadZipFile, OSError):
        return  # missing, or not a package at all: whoever reads it next says so
