"""Validation of the shop profile and cases: every problem, with its exact
file:line:column, field, Russian message and hint, all files in one run."""

from pathlib import Path

import pytest

from pipeline.validate import validate_inputs

ROOT = Path(__file__).resolve().parent.parent
IVANOV = (ROOT / "cases" / "ivanov-refusal.yaml").read_text(encoding="utf-8")
VECTOR = (ROOT / "cases" / "vector-company.yaml").read_text(encoding="utf-8")
SHOP = (ROOT / "shop.yaml").read_text(encoding="utf-8")


def lines_of(problems, tmp_path) -> list[str]:
    return [str(problem).replace(f"{tmp_path}/", "") for problem in problems]


def check(tmp_path, text: str, shop_text: str = SHOP) -> list[str]:
    (tmp_path / "shop.yaml").write_text(shop_text, encoding="utf-8")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    inputs = validate_inputs([tmp_path / "c.yaml"], tmp_path / "shop.yaml")
    return lines_of(inputs.problems, tmp_path)


def test_shipped_shop_and_cases_are_valid(shop_path):
    inputs = validate_inputs([ROOT / "cases"], shop_path)
    assert inputs.problems == ()
    assert len(inputs.cases) >= 4
    assert {case.client.kind for case in inputs.cases} >= {"person", "company", "entrepreneur"}


def test_valid_case_becomes_typed_case_with_defaults_and_merged_terms(tmp_path):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    (tmp_path / "v.yaml").write_text(VECTOR, encoding="utf-8")
    inputs = validate_inputs([tmp_path / "v.yaml"], tmp_path / "shop.yaml")
    case = inputs.cases[0]
    assert case.terms.penalty.kind == "contract"  # the case's override
    assert case.terms.payment_days == 5  # the shop's
    assert case.terms.pretension_response_days == 30
    assert str(case.terms.penalty.rate_percent_per_day) == "0.1"
    assert case.work[0].unit == "усл."  # default for labor


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("client:\n  kind", "clinet:\n  kind", "c.yaml:5:1: clinet: неизвестное поле (может быть, client?)"),
        (
            "  kind: person",
            "  kind: persn",
            "c.yaml:6:9: client.kind: недопустимое значение «persn» (может быть, person? допустимо: person, company, entrepreneur)",
        ),
        (
            "  date: 2026-09-01",
            "  date: 2026-13-45",
            "c.yaml:20:9: order.date: «2026-13-45» — не существующая дата (ГГГГ-ММ-ДД, например 2026-09-01)",
        ),
        (
            "    price: 1500.00",
            "    price: 1500,00",
            "c.yaml:26:12: work[1].price: «1500,00» — не число (дробную часть отделяйте точкой, без пробелов: 1500.00)",
        ),
        (
            "    price: 1500.00",
            "    price: 0",
            "c.yaml:26:12: work[1].price: «0» — должно быть больше 0 "
            "(Цена за единицу в рублях, больше нуля; с НДС, если сервис его начисляет)",
        ),
        (
            "    price: 1500.00",
            "    price: 1500.005",
            "c.yaml:26:12: work[1].price: «1500.005» — больше двух знаков после точки (рубли и копейки: 1500.55)",
        ),
        (
            "    percent_done: 40",
            "    percent_done: 100",
            "c.yaml:34:19: work[2].percent_done: «100» — больше допустимого (не больше 99)",
        ),
        (
            "    percent_done: 40\n",
            "",
            "c.yaml:33:13: work[2].status: для частично выполненной работы не указан процент (добавьте percent_done: от 1 до 99)",
        ),
        (
            "  at: 2026-09-03T14:30",
            "  at: 2026-08-03T14:30",
            "c.yaml:52:7: refusal.at: отказ не может быть раньше заказ-наряда (01.09.2026) (дата не раньше 2026-09-01)",
        ),
        (
            "  - date: 2026-09-10",
            "  - date: 2026-08-31",
            "c.yaml:64:11: payments[1].date: оплата не может быть раньше заказ-наряда (01.09.2026) (дата не раньше 2026-09-01)",
        ),
        (
            "  end: null",
            "  end: 2026-09-01",
            "c.yaml:69:8: storage.end: хранение не может закончиться раньше, чем началось (04.09.2026) (дата не раньше 2026-09-04)",
        ),
        (
            "  vin: XTAGFL110LY123456",
            "  vin: XTAGFL110LY12345O",
            "c.yaml:15:8: vehicle.vin: «XTAGFL110LY12345O» — неверный формат "
            "(VIN: 17 символов, латинские буквы без I, O, Q и цифры)",
        ),
        (
            "id: ZN-2026-0147",
            "id: ../../etc",
            "c.yaml:4:5: id: «../../etc» — неверный формат (Уникальный номер дела: латинские или русские буквы, "
            "цифры, «.», «_», «-»; им называется папка с документами)",
        ),
        (
            "  witnesses:\n    - Смирнов А. А., автослесарь\n    - Орлова Е. В., администратор\n",
            "",
            "c.yaml:56:18: refusal.client_signed: заказчик не подписал акт, но свидетели не указаны "
            "(добавьте witnesses: одного-двух человек, например «Смирнов А. А., автослесарь»)",
        ),
        (
            "  name: Иванов Иван Иванович",
            "  name: Иванов Иван",
            "c.yaml:7:9: client.name: по отчеству не определить пол для обращения «Уважаемый/ая» "
            "(добавьте gender: male или female)",
        ),
    ],
)
def test_each_wrong_input_is_one_exact_line(tmp_path, old, new, expected):
    assert old in IVANOV
    assert check(tmp_path, IVANOV.replace(old, new, 1)) == [expected]


def test_vin_check_digit_is_never_an_error(tmp_path):
    # Russian VINs have no North American check digit: position 9 here is "0", which NA rules would reject.
    assert check(tmp_path, IVANOV.replace("XTAGFL110LY123456", "XTA21099043000000")) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'inn: "5027323640"',
            'inn: "5027323641"',
            "c.yaml:8:8: client.inn: контрольная сумма ИНН не сходится (проверьте цифры)",
        ),
        (
            'inn: "5027323640"',
            'inn: "771507055500"',
            "c.yaml:8:8: client.inn: у организации ИНН из 10 цифр, а здесь 12 (проверьте ИНН или вид лица (kind))",
        ),
        (
            'ogrn: "1195040778503"',
            'ogrn: "1195040778504"',
            "c.yaml:10:9: client.ogrn: контрольная цифра ОГРН не сходится (проверьте цифры)",
        ),
        (
            "    rate_percent_per_day: 0.1\n",
            "",
            "c.yaml:59:11: terms.penalty.kind: для договорной неустойки не указан её размер "
            "(добавьте rate_percent_per_day: 0.1 (% в день))",
        ),
        (
            "  kind: company",
            "  kind: person",
            "c.yaml:9:8: client.kpp: КПП бывает только у организации, не у гражданина (уберите kpp)",
        ),
    ],
)
def test_company_client_rules(tmp_path, old, new, expected):
    assert old in VECTOR
    assert expected in check(tmp_path, VECTOR.replace(old, new, 1))


def test_unquoted_digit_identifier_is_kept_as_typed(tmp_path):
    # YAML would read 5027323640 as a number; it must reach the checksum as the same ten digits.
    assert check(tmp_path, VECTOR.replace('inn: "5027323640"', "inn: 5027323640")) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'account: "40702810938000071234"',
            'account: "40702810938000071235"',
            "shop.yaml:19:12: bank.account: ключ расчётного счёта не сходится с БИК (проверьте цифры счёта и БИК)",
        ),
        (
            'corr_account: "30101810400000000225"',
            'corr_account: "30101810400000000226"',
            "shop.yaml:20:17: bank.corr_account: корреспондентский счёт не оканчивается тремя последними цифрами "
            "БИК (225) (проверьте к/с и БИК)",
        ),
        (
            'inn: "7724212997"',
            'inn: "7724212998"',
            "shop.yaml:6:6: inn: контрольная сумма ИНН не сходится (проверьте цифры)",
        ),
        (
            'kpp: "772401001"\n',
            "",
            'shop.yaml:3:1: kpp: нет КПП организации (добавьте kpp: "…" (9 знаков, в кавычках))',
        ),
    ],
)
def test_shop_profile_rules(tmp_path, old, new, expected):
    assert old in SHOP
    problems = check(tmp_path, IVANOV, SHOP.replace(old, new, 1))
    assert expected in problems


def test_all_problems_of_all_files_in_one_run_and_good_cases_still_pass(tmp_path):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    folder = tmp_path / "cases"
    (folder / "nested").mkdir(parents=True)
    (folder / "good.yaml").write_text(IVANOV, encoding="utf-8")
    (folder / "nested" / "twin.yml").write_text(IVANOV.replace("id: ZN-2026-0147", "id: zn-2026-0147"), "utf-8")
    (folder / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (folder / "two.yaml").write_text(
        VECTOR.replace("  kind: company", "  kind: firm").replace("  date: 2026-10-01", "  date: 2026-02-30"),
        encoding="utf-8",
    )
    (folder / ".hidden.yaml").write_text("not: a case\n", encoding="utf-8")
    inputs = validate_inputs([folder], tmp_path / "shop.yaml")
    assert [case.id for case in inputs.cases] == ["ZN-2026-0147"]
    assert lines_of(inputs.problems, tmp_path) == [
        "cases/broken.yaml:2:1: файл обрывается внутри кавычек или скобок (проверьте отступы, двоеточия и кавычки)",
        "cases/nested/twin.yml:4:5: id: id «zn-2026-0147» уже занят делом cases/good.yaml:4 (у каждого дела свой id)",
        "cases/two.yaml:6:9: client.kind: недопустимое значение «firm» (допустимо: person, company, entrepreneur)",
        "cases/two.yaml:25:9: order.date: «2026-02-30» — не существующая дата (ГГГГ-ММ-ДД, например 2026-09-01)",
    ]
    assert inputs.files_checked == 5  # four cases and the shop


def test_missing_path_is_reported(tmp_path, shop_path):
    inputs = validate_inputs([tmp_path / "nope"], shop_path)
    assert [str(p) for p in inputs.problems] == [f"{tmp_path}/nope:1:1: нет такого файла или папки (проверьте путь)"]


def test_missing_required_field_names_it_and_says_what_to_add(tmp_path):
    problems = check(tmp_path, IVANOV.replace("  address: 101000, г. Москва, ул. Ленина, д. 1, кв. 2\n", "", 1))
    assert problems == [
        "c.yaml:6:3: client.address: нет обязательного поля "
        "(добавьте address: Почтовый адрес с индексом, на который отправляются письма)"
    ]
