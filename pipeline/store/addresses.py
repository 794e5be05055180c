"""A one-line Russian postal address («101000, г. Москва, ул. Ленина, д. 1,
кв. 2») split into the parts Russian Post's systems name: index, region, area,
place, street, house, room. Best effort and pure: each comma-separated part is
recognised by its marker (`обл.`, `р-н`, `г.`, `ул.`, `д.`, `кв.` …); an
address that cannot be split says what is missing or not understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cities of federal significance are their own region (Почта России writes region and place alike).
FEDERAL_CITIES = ("Москва", "Санкт-Петербург", "Севастополь")

_INDEX = re.compile(r"^\d{6}$")
_REGION = re.compile(
    r"(\bобл\.?$|\bобласть\b|\bкрай\b|\bресп\.|\bреспублика\b|\bавтономн\w* (округ|обл)|\bАО$|^Республика\b)",
    re.IGNORECASE,
)
_AREA = re.compile(r"(\bр-н\b|\bрайон\b|\bм\.\s?о\.|\bмуниципальн\w* (округ|район)|\bгородск\w* округ|\bг\.\s?о\.)")
_PLACE = re.compile(
    r"^(г\.|город\b|гор\.|пос\.|посёлок\b|поселок\b|п\.|пгт\.?|рп\.?|с\.|село\b|дер\.|деревня\b|д\.(?=\s*\D)"
    r"|ст-ца\b|станица\b|х\.|хутор\b|аул\b|снт\b|СНТ\b)",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"(^|\s)(ул\.|улица\b|пр-т\b|просп\.|проспект\b|пер\.|переулок\b|ш\.|шоссе\b|б-р\b|бульвар\b|наб\.|набережная\b"
    r"|пл\.|площадь\b|проезд\b|пр-д\b|туп\.|тупик\b|аллея\b|мкр\.?|микрорайон\b|линия\b|кв-л\b|квартал\b|тракт\b)",
    re.IGNORECASE,
)
_HOUSE = re.compile(r"^(д\.|дом\b|вл\.|владение\b)\s*(?P<value>\d.*)$", re.IGNORECASE)
_BUILDING = re.compile(r"^(корп\.|корпус\b|к\.|стр\.|строение\b|лит\.|литера\b)\s*\S", re.IGNORECASE)
_ROOM = re.compile(
    r"^(кв\.|квартира\b|оф\.|офис\b|пом\.|помещение\b|комн\.|комната\b)\s*(?P<value>\S.*)$", re.IGNORECASE
)
_BARE_NUMBER = re.compile(r"^\d+\w?(/\d+\w?)?$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class AddressParts:
    index: str = ""
    region: str = ""
    area: str = ""
    place: str = ""
    street: str = ""
    house: str = ""  # with its corpus or building: «5 корп. 2»
    room: str = ""


@dataclass(frozen=True)
class SplitAddress:
    """The parts found; `unknown` parts not understood and `missing` parts a letter needs, in Russian."""

    parts: AddressParts
    unknown: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unknown and not self.missing

    def explain(self) -> str:
        """«нет индекса; непонятная часть «Ленина 5»» — what keeps the address from being split."""
        reasons = [f"нет {what}" for what in self.missing]
        reasons += [f"непонятная часть «{part}»" for part in self.unknown]
        return "; ".join(reasons)


def clean_address(text: str) -> str:
    """The address on one line: no-break spaces and runs of spaces made one space, no outer spaces."""
    return _SPACES.sub(" ", text.replace("\xa0", " ")).strip()


def split_address(text: str) -> SplitAddress:
    """`text` split into its parts, left to right; never raises."""
    found: dict[str, str] = {}
    unknown: list[str] = []
    for part in (piece.strip() for piece in clean_address(text).split(",")):
        if part:
            field, value = _classify(part, found)
            if field is None:
                unknown.append(part)
            elif field == "house" and found.get("house"):
                found["house"] = f"{found['house']} {value}"  # «д. 5, корп. 2»: one house
            elif field in found:
                unknown.append(part)  # a second street or room: ambiguous
            else:
                found[field] = value
    _federal_city(found)
    parts = AddressParts(**found)
    return SplitAddress(parts, tuple(unknown), _missing(parts))


def _classify(part: str, found: dict[str, str]) -> tuple[str | None, str]:
    """(the field `part` belongs to, its value), or (None, part) when it is not understood."""
    house = _HOUSE.match(part)
    room = _ROOM.match(part)
    if _INDEX.match(part):
        field: str | None = "index"
    elif house:
        return "house", house.group("value")
    elif _BUILDING.match(part) and found.get("house"):
        field = "house"
    elif room:
        return "room", room.group("value")
    elif _STREET.search(part):
        field = "street"
    elif _AREA.search(part):  # before the place: «г.о. Балашиха» is an area, not a town
        field = "area"
    elif _PLACE.match(part):
        field = "place"
    elif _REGION.search(part):
        field = "region"
    elif _BARE_NUMBER.match(part) and "house" not in found and ("street" in found or "place" in found):
        field = "house"  # «ул. Ленина, 5»
    elif part in FEDERAL_CITIES and "place" not in found:
        field = "place"
    else:
        field = None
    return field, part


def _federal_city(found: dict[str, str]) -> None:
    """«г. Москва» is both the region and the place."""
    place = found.get("place", "")
    if not found.get("region") and any(place.endswith(city) for city in FEDERAL_CITIES):
        found["region"] = place


def _missing(parts: AddressParts) -> tuple[str, ...]:
    missing = []
    if not parts.index:
        missing.append("индекса (6 цифр)")
    if not parts.place and not parts.street:
        missing.append("населённого пункта")
    if not parts.house:
        missing.append("номера дома")
    return tuple(missing)
