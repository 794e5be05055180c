"""Template variables for the parties and the car: the shop's requisites,
signatory and voice, the client's names in the cases letters need and who
signs for the client, the vehicle line and its owner.

Pure: Shop/Client/Vehicle in, plain dicts of strings out.
"""

from __future__ import annotations

from typing import Any

from pipeline.models import Client, Representative, Shop, Vehicle
from pipeline.wording.russian import (
    acting_word,
    decline_person,
    decline_position,
    detect_gender,
    initials_name,
    past_form,
    salutation,
)

GRAMMATICAL_CASES = ("nominative", "genitive", "dative", "instrumental")
ENTREPRENEUR_FORMS = {
    "nominative": "индивидуальный предприниматель",
    "genitive": "индивидуального предпринимателя",
    "dative": "индивидуальному предпринимателю",
    "instrumental": "индивидуальным предпринимателем",
}
# How the shop speaks of itself: a company in the plural, an entrepreneur in person.
VOICES = {
    "company": {"demand": "требуем", "ask": "просим", "ask_cap": "Просим", "count_on_cap": "Рассчитываем"},
    "entrepreneur": {"demand": "требую", "ask": "прошу", "ask_cap": "Прошу", "count_on_cap": "Рассчитываю"},
}


def _requisites_line(inn: str | None, kpp: str | None, ogrn: str | None, ogrn_label: str) -> str:
    parts = []
    if inn:
        parts.append(f"ИНН {inn}")
    if kpp:
        parts.append(f"КПП {kpp}")
    if ogrn:
        parts.append(f"{ogrn_label} {ogrn}")
    return ", ".join(parts)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def shop_block(shop: Shop) -> dict[str, Any]:
    """shop.*: requisites for the header, bank details, the signatory, the voice."""
    signatory = shop.signatory
    gender = detect_gender(signatory.name)
    is_entrepreneur = shop.kind == "entrepreneur"
    ogrn_label = "ОГРНИП" if is_entrepreneur else "ОГРН"
    basis = f"на основании {signatory.basis}"
    position_genitive = decline_position(signatory.position, "genitive")
    bank = shop.bank
    return {
        "name": shop.name,
        "short_name": shop.short_name,
        "kind": shop.kind,
        "is_entrepreneur": is_entrepreneur,
        "inn": shop.inn,
        "kpp": shop.kpp or "",
        "ogrn": shop.ogrn,
        "ogrn_label": ogrn_label,
        "requisites_line": _requisites_line(shop.inn, shop.kpp, shop.ogrn, ogrn_label),
        "address": shop.address,
        "phone": shop.phone,
        "email": shop.email or "",
        "contacts_line": ", ".join(p for p in (f"тел. {shop.phone}", shop.email and f"e-mail: {shop.email}") if p),
        "bank": {
            "name": bank.name,
            "bik": bank.bik,
            "account": bank.account,
            "corr_account": bank.corr_account,
            "line": f"р/с {bank.account} в {bank.name}, БИК {bank.bik}, к/с {bank.corr_account}",
        },
        "signatory": {
            "name": signatory.name,
            "name_genitive": decline_person(signatory.name, "genitive"),
            "initials_name": initials_name(signatory.name),
            "position": signatory.position,
            "position_genitive": position_genitive,
            "basis": basis,
            "acting": f"{acting_word(gender)} {basis}",
        },
        # "ООО «…» в лице генерального директора Петрова Петра Петровича, действующего на
        # основании Устава"; an entrepreneur acts in person and needs no "в лице".
        "in_person_of": shop.name
        if is_entrepreneur
        else (
            f"{shop.name} в лице {_lower_first(position_genitive)} "
            f"{decline_person(signatory.name, 'genitive')}, {acting_word(gender, 'genitive')} {basis}"
        ),
        # The small line under the signature; "действующий" agrees with the position, not the company.
        "signature_note": shop.name
        if is_entrepreneur
        else f"{signatory.position} {shop.name}, {acting_word(gender)} {basis}",
        # An entrepreneur may work without a seal (Федеральный закон № 82-ФЗ от 06.04.2015).
        "seal": "М.П. (при наличии)" if is_entrepreneur else "М.П.",
        "voice": dict(VOICES[shop.kind]),
    }


def _person_forms(name: str, gender: str | None) -> dict[str, str]:
    return {case: name if case == "nominative" else decline_person(name, case, gender) for case in GRAMMATICAL_CASES}


def _representative_block(representative: Representative) -> dict[str, Any]:
    gender = detect_gender(representative.name)
    position_genitive = decline_position(representative.position, "genitive")
    basis = f"на основании {representative.basis}" if representative.basis else ""
    return {
        "name": representative.name,
        "position": representative.position,
        "initials_name": initials_name(representative.name),
        "name_dative": decline_person(representative.name, "dative", gender),
        "name_genitive": decline_person(representative.name, "genitive", gender),
        "initials_name_dative": initials_name(representative.name, "dative", gender),
        "position_dative": decline_position(representative.position, "dative"),
        "position_genitive": position_genitive,
        "basis": basis,
        # "в лице генерального директора Сидорова Сидора Сидоровича, действующего на основании Устава"
        "in_person_of": f"в лице {_lower_first(position_genitive)} "
        f"{decline_person(representative.name, 'genitive', gender)}"
        + (f", {acting_word(gender, 'genitive')} {basis}" if basis else ""),
        "gender": gender,
    }


def _signer_block(client: Client, title: str, gender: str, representative: dict[str, Any] | None) -> dict[str, str]:
    """Who signs the refusal act for the client: the client in person, or a company's
    representative "в лице …, действующего на основании …"."""
    if client.kind == "company":
        if representative is None:
            return {"title": client.name, "initials_name": "", "acknowledged": "С актом ознакомлен"}
        title = f"{client.name} {representative['in_person_of']}"
        gender = representative["gender"]
        signer_name = initials_name(representative["name"])
    else:
        signer_name = initials_name(client.name)
    acknowledged = (
        f"С актом {past_form(gender, 'ознакомлен', 'ознакомлена')}, один экземпляр "
        f"{past_form(gender, 'получил', 'получила')}"
    )
    return {"title": title, "initials_name": signer_name, "acknowledged": acknowledged}


def _names(client: Client, gender: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The name and the title ("индивидуальный предприниматель …") in every case the documents use;
    a company's name is never declined."""
    if client.kind == "company":
        forms = {case: client.name for case in GRAMMATICAL_CASES}
        return forms, forms
    forms = _person_forms(client.name, gender)
    if client.kind == "entrepreneur":
        return forms, {case: f"{ENTREPRENEUR_FORMS[case]} {forms[case]}" for case in GRAMMATICAL_CASES}
    return forms, forms


def _addressing(
    client: Client, names: dict[str, str], gender: str | None, rep: dict[str, Any] | None
) -> tuple[list[str], str]:
    """The «Кому» lines and the salutation."""
    if client.kind == "company":
        if rep is None:
            return [client.name], "Уважаемые господа!"
        lines = [f"{rep['position_dative']} {client.name}", rep["initials_name_dative"]]
        return lines, salutation(rep["name"], rep["gender"])
    if client.kind == "entrepreneur":
        return [f"Индивидуальному предпринимателю {names['dative']}"], salutation(client.name, gender)
    return [names["dative"]], salutation(client.name, gender)


def client_block(client: Client, is_consumer: bool | None = None) -> dict[str, Any]:
    """client.*: how each document names, addresses and greets the client, and who signs
    for it. `is_consumer` is the order's (Case.is_consumer); by default a person's."""
    gender = None if client.kind == "company" else detect_gender(client.name, client.gender)
    rep = _representative_block(client.representative) if client.kind == "company" and client.representative else None
    names, titles = _names(client, gender)
    addressee_lines, greeting = _addressing(client, names, gender, rep)
    ogrn_label = "ОГРНИП" if client.kind == "entrepreneur" else "ОГРН"
    return {
        "kind": client.kind,
        "is_person": client.kind == "person",
        "is_company": client.kind == "company",
        "is_entrepreneur": client.kind == "entrepreneur",
        "is_business": client.kind != "person",
        "is_consumer": client.kind == "person" if is_consumer is None else is_consumer,
        "gender": gender or "",
        "name": client.name,
        "name_genitive": names["genitive"],
        "name_dative": names["dative"],
        "name_instrumental": names["instrumental"],
        "initials_name": client.name if client.kind == "company" else initials_name(client.name),
        "title": titles["nominative"],
        "title_genitive": titles["genitive"],
        "title_dative": titles["dative"],
        "title_instrumental": titles["instrumental"],
        "addressee_lines": addressee_lines,
        "salutation": greeting,
        "address": client.address,
        "phone": client.phone or "",
        "email": client.email or "",
        "inn": client.inn or "",
        "ogrn": client.ogrn or "",
        "kpp": client.kpp or "",
        "ogrn_label": ogrn_label,
        "requisites_line": _requisites_line(client.inn, client.kpp, client.ogrn, ogrn_label),
        "representative": {key: value for key, value in rep.items() if key != "gender"} if rep else None,
        "signer": _signer_block(client, titles["nominative"], gender or "male", rep),
    }


def vehicle_block(vehicle: Vehicle) -> dict[str, Any]:
    """vehicle.*: "Lada Vesta, 2020 г. в., г/н А123ВС777, VIN XTAGFL110LY123456", only the parts
    present, and its owner when that is not the client (then there is no retention)."""
    make_model = f"{vehicle.make} {vehicle.model}"
    parts = [make_model]
    if vehicle.year:
        parts.append(f"{vehicle.year} г. в.")
    if vehicle.plate:
        parts.append(f"г/н {vehicle.plate}")
    if vehicle.vin:
        parts.append(f"VIN {vehicle.vin}")
    return {
        "make": vehicle.make,
        "model": vehicle.model,
        "make_model": make_model,
        "year": str(vehicle.year) if vehicle.year else "",
        "plate": vehicle.plate or "",
        "vin": vehicle.vin or "",
        "mileage": f"{vehicle.mileage_km:,}".replace(",", "\u00a0") + "\u00a0км" if vehicle.mileage_km else "",
        "line": ", ".join(parts),
        "owner": vehicle.owner or "",
        "is_client_owned": vehicle.owner is None,
    }
