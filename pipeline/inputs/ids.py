"""What a case id may be beyond the schema's pattern: it names the case's folder
in out/, so it must not take a name the output folder or Windows uses, must not
hide a Russian letter among Latin ones (or the other way round), and must be
unique among all cases — ignoring letter case and look-alike letters, as a
person reading the ids would.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.inputs.characters import visible
from pipeline.inputs.load import LoadedFile
from pipeline.inputs.rules import get
from pipeline.models import Problem

# Names the output folder uses for itself: a case may not take them.
RESERVED_IDS = frozenset({"batches", "state"})
# Windows refuses these as file or folder names, with any extension (NUL.txt), in any letter case.
DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{prefix}{digit}" for prefix in ("COM", "LPT") for digit in range(10)}
)
# Russian letters that look like Latin ones, and those Latin ones.
_LOOK_ALIKE = str.maketrans("АВЕКМНОРСТУХаеорсух", "ABEKMHOPCTYXaeopcyx")
_LATIN_LOOK_ALIKES = frozenset("ABEKMHOPCTYXaeopcyx")
_CYRILLIC = frozenset("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def skeleton(case_id: str) -> str:
    """What an id looks like: look-alike Russian letters read as Latin, letter case ignored."""
    return case_id.translate(_LOOK_ALIKE).lower()


def _mixed_letters(case_id: str) -> tuple[str, list[tuple[int, str]]]:
    """The look-alike letters of the script with fewer letters in an id that mixes Latin and Russian
    (a tie blames the Russian ones), and that script's name; no letters when the id is of one script."""
    latin = [(i, c) for i, c in enumerate(case_id, 1) if c.isascii() and c.isalpha()]
    cyrillic = [(i, c) for i, c in enumerate(case_id, 1) if c in _CYRILLIC]
    if not latin or not cyrillic:
        return "", []
    if len(latin) < len(cyrillic):
        return "латинск", [(i, c) for i, c in latin if c in _LATIN_LOOK_ALIKES]
    return "русск", [(i, c) for i, c in cyrillic if c.translate(_LOOK_ALIKE) != c]


def check_id(loaded: LoadedFile) -> list[Problem]:
    """The problems of one case's id that the schema's pattern cannot see (the pattern is already met)."""
    case_id = get(loaded.data, "id")
    if not isinstance(case_id, str):
        return []
    problems = []
    if case_id.lower() in RESERVED_IDS:
        problems.append(loaded.problem(("id",), f"«{case_id}» — служебное имя папки out/", "выберите другой id"))
    device = case_id.split(".")[0].upper()
    if device in DEVICE_NAMES:
        problems.append(
            loaded.problem(
                ("id",),
                f"«{case_id}» — имя устройства Windows ({device})",
                "папку с таким именем Windows не создаст; выберите другой id",
            )
        )
    script, letters = _mixed_letters(case_id)
    if letters:
        noun = f"{script}ая буква" if len(letters) == 1 else f"{script}ие буквы"
        shown = ", ".join(f"«{c}» ({i}-й знак)" for i, c in letters)
        problems.append(
            loaded.problem(
                ("id",),
                f"«{case_id}» — латинские и русские буквы вперемешку: {noun} {shown}",
                "наберите id буквами одного алфавита — похожая буква даёт другую папку и другое дело",
            )
        )
    return problems


def check_ids(loaded_cases: Iterable[LoadedFile]) -> list[Problem]:
    """Ids must be unique, ignoring letter case (a Windows or macOS disk would merge the folders) and
    look-alike letters. Every file of a repeated id is wrong: either may be the mistaken one."""
    groups: dict[str, list[tuple[LoadedFile, str]]] = {}
    for loaded in loaded_cases:
        case_id = get(loaded.data, "id")
        if isinstance(case_id, str):
            groups.setdefault(skeleton(case_id), []).append((loaded, case_id))
    problems = []
    for group in groups.values():
        for loaded, case_id in group if len(group) > 1 else ():
            others = [
                f"{other.path}:{other.mark_of(('id',)).line}"
                + (f" как «{visible(other_id)}»" if other_id != case_id else "")
                for other, other_id in group
                if other is not loaded
            ]
            where = "деле" if len(others) == 1 else "делах"
            problems.append(
                loaded.problem(
                    ("id",),
                    f"id «{visible(case_id)}» есть и в {where} {', '.join(others)}",
                    "у каждого дела свой id; пока он повторяется, не собирается ни одно из этих дел",
                )
            )
    return problems
