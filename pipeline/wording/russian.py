"""Russian formatting for the documents: money in figures and words, dates,
plurals, and people's names and positions declined with pytrovich.

Pure functions of their arguments; nothing here knows about cases or templates.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from num2words import num2words
from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as GrammaticalCase
from pytrovich.enums import Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

NBSP = "\u00a0"
KOPECK = Decimal("0.01")

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

CASES = {
    "nominative": GrammaticalCase.NOMINATIVE,
    "genitive": GrammaticalCase.GENITIVE,
    "dative": GrammaticalCase.DATIVE,
    "accusative": GrammaticalCase.ACCUSATIVE,
    "instrumental": GrammaticalCase.INSTRUMENTAL,
    "prepositional": GrammaticalCase.PREPOSITIONAL,
}


class _GenderDetector(Protocol):
    """PetrovichGenderDetector.detect as documented; pytrovich leaves it unannotated."""

    def detect(
        self, firstname: str | None = None, lastname: str | None = None, middlename: str | None = None
    ) -> Gender: ...


_maker = PetrovichDeclinationMaker()
_detector: _GenderDetector = PetrovichGenderDetector()


# --- numbers and money ----------------------------------------------------------


def _group_thousands(digits: str) -> str:
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return NBSP.join(groups) or "0"


def format_money(amount: Decimal) -> str:
    """12345.67 → "12 345,67" (thousands split by a no-break space so a line never breaks inside)."""
    value = Decimal(amount).quantize(KOPECK, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    roubles, kopecks = f"{abs(value):.2f}".split(".")
    return f"{sign}{_group_thousands(roubles)},{kopecks}"


def format_rub(amount: Decimal) -> str:
    """12345.67 → "12 345,67 руб."."""
    return f"{format_money(amount)}{NBSP}руб."


def format_number(value: Decimal | int) -> str:
    """A quantity or a rate without trailing zeros: 1.50 → "1,5", 14.00 → "14", 0.1 → "0,1"."""
    text = format(Decimal(value).normalize(), "f")
    if "." in text:
        whole, fraction = text.split(".")
        return f"{_group_thousands(whole)},{fraction}"
    return _group_thousands(text)


def format_percent(value: Decimal | int) -> str:
    """14.5 → "14,5 %" (Russian typography puts a space before %)."""
    return f"{format_number(value)}{NBSP}%"


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun that agrees with n: 1 день, 2 дня, 5 дней, 11 дней, 21 день."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def format_days(n: int) -> str:
    """76 → "76 дней"."""
    return f"{n}{NBSP}{plural(n, 'день', 'дня', 'дней')}"


def format_calendar_days_genitive(n: int) -> str:
    """A term after «в течение»: 10 → "10 (десяти) календарных дней", 21 → "21 (двадцати одного)
    календарного дня" — the genitive, in figures and in words, as a pretension states it."""
    words = num2words(n, lang="ru", case="genitive")
    noun = "календарного дня" if n % 10 == 1 and n % 100 != 11 else "календарных дней"
    return f"{n}{NBSP}({words}) {noun}"


@functools.lru_cache(maxsize=4096)  # a context spells ~20 amounts, many of them the same
def money_in_words(amount: Decimal) -> str:
    """12345.67 → "двенадцать тысяч триста сорок пять рублей 67 копеек".

    Built by hand: num2words' currency mode reads an int as kopecks, and
    documents spell the roubles in words but keep the kopecks as two digits.
    """
    value = Decimal(amount).quantize(KOPECK, rounding=ROUND_HALF_UP)
    roubles = int(value)
    kopecks = int((value - roubles) * 100)
    rouble_word = plural(roubles, "рубль", "рубля", "рублей")
    kopeck_word = plural(kopecks, "копейка", "копейки", "копеек")
    return f"{num2words(roubles, lang='ru')} {rouble_word} {kopecks:02d} {kopeck_word}"


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def format_amount(amount: Decimal) -> str:
    """12345.67 → "12 345,67 руб. (двенадцать тысяч триста сорок пять рублей 67 копеек)".

    The words stay lower-case inside the parenthesis, as documents.md writes them.
    """
    return f"{format_rub(amount)} ({money_in_words(amount)})"


# --- dates ------------------------------------------------------------------------


def format_date_long(day: date) -> str:
    """date(2026, 9, 3) → "«3» сентября 2026 г."."""
    return f"«{day.day}»{NBSP}{MONTHS_GENITIVE[day.month - 1]} {day.year}{NBSP}г."


def format_date_short(day: date) -> str:
    """date(2026, 9, 3) → "03.09.2026"."""
    return f"{day:%d.%m.%Y}"


def format_datetime_long(moment: datetime) -> str:
    """datetime(2026, 9, 3, 14, 30) → "«3» сентября 2026 г. в 14:30"."""
    return f"{format_date_long(moment.date())} в {moment:%H:%M}"


# --- people -----------------------------------------------------------------------


def _name_parts(full_name: str) -> tuple[str, str | None, str | None]:
    parts = full_name.split()
    if not parts:
        raise ValueError("empty name")
    surname = parts[0]
    given = parts[1] if len(parts) > 1 else None
    patronymic = " ".join(parts[2:]) or None
    return surname, given, patronymic


def detect_gender(full_name: str, gender: str | None = None) -> str:
    """ "male" or "female": the given gender when set, else guessed from the
    patronymic (decisive), then the given name and surname. An undecidable
    name counts as male, the grammatical default of Russian business letters."""
    if gender in ("male", "female"):
        return gender
    surname, given, patronymic = _name_parts(full_name)
    detected = _detector.detect(firstname=given, lastname=surname, middlename=patronymic)
    return "female" if detected == Gender.FEMALE else "male"


@functools.lru_cache(maxsize=4096)  # each case's letters decline the same names
def decline_person(full_name: str, case: str, gender: str | None = None) -> str:
    """ "Иванов Иван Иванович", "dative" → "Иванову Ивану Ивановичу"."""
    grammatical_case = CASES[case]
    sex = Gender.FEMALE if detect_gender(full_name, gender) == "female" else Gender.MALE
    surname, given, patronymic = _name_parts(full_name)
    words = [_maker.make(NamePart.LASTNAME, sex, grammatical_case, surname)]
    if given:
        words.append(_maker.make(NamePart.FIRSTNAME, sex, grammatical_case, given))
    if patronymic:
        words.append(_maker.make(NamePart.MIDDLENAME, sex, grammatical_case, patronymic))
    return " ".join(words)


def _initials(full_name: str) -> str:
    _, given, patronymic = _name_parts(full_name)
    letters = [f"{word[0]}." for word in (given, patronymic) if word]
    return " ".join(letters)


def initials_name(full_name: str, case: str = "nominative", gender: str | None = None) -> str:
    """ "Петров Пётр Петрович" → "Петров П. П."; in the dative "Петрову П. П."."""
    surname, _, _ = _name_parts(full_name)
    if case != "nominative":
        surname = decline_person(full_name, case, gender).split()[0]
    initials = _initials(full_name)
    return f"{surname} {initials}" if initials else surname


def salutation(full_name: str, gender: str | None = None) -> str:
    """ "Уважаемый Иван Иванович!"; without a patronymic the formal
    "Уважаемый господин Соколов!" (a bare first name would be too familiar)."""
    surname, given, patronymic = _name_parts(full_name)
    female = detect_gender(full_name, gender) == "female"
    adjective = "Уважаемая" if female else "Уважаемый"
    if given and patronymic:
        return f"{adjective} {given} {patronymic}!"
    title = "госпожа" if female else "господин"
    return f"{adjective} {title} {surname}!"


# A reason written as a sentence about the client: "Клиент счёл …" → "счёл …".
_REASON_SUBJECTS = ("клиентка", "клиент", "заказчица", "заказчик")


def reported_reason(reason: str) -> str:
    """A client's reason as the end of «… объяснил тем, что …»: no subject, no capital, no full stop.

    "Клиент счёл стоимость ремонта завышенной." → "счёл стоимость ремонта завышенной";
    "СТО дешевле" keeps its capitals (an abbreviation, not a sentence start).
    """
    text = reason.strip().rstrip(".").strip()
    words = text.split(maxsplit=1)
    if len(words) == 2 and words[0].casefold() in _REASON_SUBJECTS:
        text = words[1]
    if len(text) > 1 and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def past_form(gender: str, masculine: str, feminine: str) -> str:
    """The past tense or short participle that agrees with a person: ознакомлен / ознакомлена."""
    return feminine if gender == "female" else masculine


def acting_word(gender: str, case: str = "nominative") -> str:
    """ "действующий"/"действующая", or the genitive after "в лице": "действующего"/"действующей"."""
    forms = {
        ("male", "nominative"): "действующий",
        ("female", "nominative"): "действующая",
        ("male", "genitive"): "действующего",
        ("female", "genitive"): "действующей",
    }
    return forms[(gender, case)]


# --- positions --------------------------------------------------------------------

_ADJECTIVE_ENDINGS = {
    "dative": (("ый", "ому"), ("ой", "ому"), ("ий", "ему"), ("ая", "ой")),
    "genitive": (("ый", "ого"), ("ой", "ого"), ("ий", "его"), ("ая", "ой")),
}
_NOUN_ENDINGS = {
    "dative": (("ь", "ю"), ("а", "е"), ("я", "е")),
    "genitive": (("ь", "я"), ("ка", "ки"), ("а", "ы"), ("я", "и")),
}
_NOUN_SUFFIX_AFTER_CONSONANT = {"dative": "у", "genitive": "а"}
# Participles used as nouns: declined like adjectives, but they head the position.
_SUBSTANTIVE_ADJECTIVES = ("управляющий", "заведующий", "исполняющий")


def _decline_position_word(word: str, case: str) -> tuple[str, bool]:
    """Decline one word of a position; the flag says it was the head noun."""
    lower = word.lower()
    for ending, replacement in _ADJECTIVE_ENDINGS[case]:
        if lower.endswith(ending) and len(lower) > 3:
            return word[: -len(ending)] + replacement, lower in _SUBSTANTIVE_ADJECTIVES
    for ending, replacement in _NOUN_ENDINGS[case]:
        if lower.endswith(ending):
            return word[: -len(ending)] + replacement, True
    if lower[-1:].isalpha() and lower[-1] not in "аеёиоуыэюяй":
        return word + _NOUN_SUFFIX_AFTER_CONSONANT[case], True
    return word, True


def decline_position(position: str, case: str) -> str:
    """ "Генеральный директор" → "Генеральному директору" (dative) / "Генерального
    директора" (genitive). Declines the leading adjectives and the head noun and
    keeps the rest as typed: "Директор по развитию" → "Директору по развитию"."""
    if case == "nominative":
        return position
    words = position.split()
    for index, word in enumerate(words):
        words[index], is_head_noun = _decline_position_word(word, case)
        if is_head_noun:
            break
    return " ".join(words)
