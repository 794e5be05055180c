"""Template variables for the parties and the car: the shop's requisites and
signatory, the client's names in the cases letters need, the vehicle line.

Pure: Shop/Client/Vehicle in, plain dicts of strings out.
"""

from __future__ import annotations

from typing import Any

from pipeline.models import Client, Shop, Vehicle
from pipeline.wording.russian import (
    acting_word,
    decline_person,
    decline_position,
    detect_gender,
    initials_name,
    salutation,
)

ENTREPRENEUR_FORMS = {
    "nominative": "индивидуальный предприниматель",
    "genitive": "индивидуального предпринимателя",
    "dative": "индивидуальному предпринимателю",
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


def shop_block(shop: Shop) -> dict[str, Any]:
    """shop.*: requisites for the header, bank details, the signatory."""
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
        "is_entrepreneur": shop.kind == "entrepreneur",
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
            f"{shop.name} в лице {position_genitive[:1].lower()}{position_genitive[1:]} "
            f"{decline_person(signatory.name, 'genitive')}, {acting_word(gender, 'genitive')} {basis}"
        ),
        # The small line under the signature.
        "signature_note": shop.name if is_entrepreneur else f"{shop.name}, {acting_word(gender)} {basis}",
        # An entrepreneur may work without a seal (Федеральный закон № 82-ФЗ от 06.04.2015).
        "seal": "М.П. (при наличии)" if shop.kind == "entrepreneur" else "М.П.",
    }


def _person_forms(name: str, gender: str | None) -> dict[str, str]:
    return {
        "nominative": name,
        "genitive": decline_person(name, "genitive", gender),
        "dative": decline_person(name, "dative", gender),
    }


def client_block(client: Client) -> dict[str, Any]:
    """client.*: how each document names, addresses and greets the client.
    A company's name is never declined; its representative's name and position are."""
    gender = None if client.kind == "company" else detect_gender(client.name, client.gender)
    representative = None
    if client.kind == "company":
        name_forms = {case: client.name for case in ("nominative", "genitive", "dative")}
        title = name_forms
        addressee_lines = [client.name]
        greeting = "Уважаемые господа!"
        rep = client.representative
        if rep is not None:
            rep_gender = detect_gender(rep.name)
            representative = {
                "name": rep.name,
                "position": rep.position,
                "initials_name": initials_name(rep.name),
                "name_dative": decline_person(rep.name, "dative", rep_gender),
                "initials_name_dative": initials_name(rep.name, "dative", rep_gender),
                "position_dative": decline_position(rep.position, "dative"),
            }
            addressee_lines = [
                f"{representative['position_dative']} {client.name}",
                representative["initials_name_dative"],
            ]
            greeting = salutation(rep.name, rep_gender)
    elif client.kind == "entrepreneur":
        name_forms = _person_forms(client.name, gender)
        title = {case: f"{ENTREPRENEUR_FORMS[case]} {name_forms[case]}" for case in name_forms}
        addressee_lines = [f"Индивидуальному предпринимателю {name_forms['dative']}"]
        greeting = salutation(client.name, gender)
    else:
        name_forms = _person_forms(client.name, gender)
        title = name_forms
        addressee_lines = [name_forms["dative"]]
        greeting = salutation(client.name, gender)
    ogrn_label = "ОГРНИП" if client.kind == "entrepreneur" else "ОГРН"
    return {
        "kind": client.kind,
        "is_person": client.kind == "person",
        "is_company": client.kind == "company",
        "is_entrepreneur": client.kind == "entrepreneur",
        "is_business": client.kind != "person",
        "gender": gender or "",
        "name": client.name,
        "name_genitive": name_forms["genitive"],
        "name_dative": name_forms["dative"],
        "initials_name": client.name if client.kind == "company" else initials_name(client.name),
        "title": title["nominative"],
        "title_genitive": title["genitive"],
        "title_dative": title["dative"],
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
        "representative": representative,
    }


def vehicle_block(vehicle: Vehicle) -> dict[str, Any]:
    """vehicle.*: "Lada Vesta, 2020 г. в., г/н А123ВС777, VIN XTAGFL110LY123456", only the parts present."""
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
    }
