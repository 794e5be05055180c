"""Validation of the shop profile and cases: every problem, with its exact
file:line:column, field, Russian message and hint, all files in one run."""

from pathlib import Path

from pipeline.inputs.validate import validate_inputs

ROOT = Path(__file__).resolve().parent.parent
IVANOV = (ROOT / "cases" / "ivanov-refusal.yaml").read_text(encoding="utf-8")
VECTOR = (ROOT / "cases" / "vector-company.yaml").read_text(encoding="utf-8")
SHOP = (ROOT / "shop.yaml").read_text(encoding="utf-8")


def where(text: str, value: str, skip: int = 0) -> str:
    """line:column where `value` is written in `text`, plus `skip` characters: the example
    cases are edited, the messages are what these tests hold."""
    index = text.index(value) + skip
    return f"{text.count(chr(10), 0, index) + 1}:{index - text.rfind(chr(10), 0, index)}"


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


# Wrong inputs, one file each with its expected lines: tests/wrong/ (test_wrong_inputs.py).


def test_vin_check_digit_is_never_an_error(tmp_path):
    # Russian VINs have no North American check digit: position 9 here is "0", which NA rules would reject.
    assert check(tmp_path, IVANOV.replace("XTAGFL110LY123456", "XTA21099043000000")) == []


def test_unquoted_digit_identifier_is_kept_as_typed(tmp_path):
    # YAML would read 5027323640 as a number; it must reach the checksum as the same ten digits.
    assert check(tmp_path, VECTOR.replace('inn: "5027323640"', "inn: 5027323640")) == []


def test_all_problems_of_all_files_in_one_run_and_good_cases_still_pass(tmp_path):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    folder = tmp_path / "cases"
    (folder / "nested").mkdir(parents=True)
    (folder / "good.yaml").write_text(VECTOR, encoding="utf-8")
    (folder / "ivanov.yaml").write_text(IVANOV, encoding="utf-8")
    (folder / "nested" / "twin.yml").write_text(IVANOV.replace("id: ZN-2026-0147", "id: zn-2026-0147"), "utf-8")
    (folder / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    two = (
        VECTOR.replace("ZN-2026-0171", "ZN-2026-0172")
        .replace("  kind: company", "  kind: firm")
        .replace("  date: 2026-10-01", "  date: 2026-02-30")
    )
    (folder / "two.yaml").write_text(two, encoding="utf-8")
    (folder / ".hidden.yaml").write_text("not: a case\n", encoding="utf-8")
    inputs = validate_inputs([folder], tmp_path / "shop.yaml")
    assert [case.id for case in inputs.cases] == ["ZN-2026-0171"]
    # The same id twice (letter case ignored): either file may be the wrong one, so neither is built.
    hint = "у каждого дела свой id; пока он повторяется, не собирается ни одно из этих дел"
    at = where(IVANOV, "id: ", 4)
    line = at.split(":")[0]
    assert lines_of(inputs.problems, tmp_path) == [
        "cases/broken.yaml:2:1: файл обрывается внутри кавычек или скобок (проверьте отступы, двоеточия и кавычки)",
        f"cases/ivanov.yaml:{at}: id: id «ZN-2026-0147» есть и в деле cases/nested/twin.yml:{line} как «zn-2026-0147» ({hint})",
        f"cases/nested/twin.yml:{at}: id: id «zn-2026-0147» есть и в деле cases/ivanov.yaml:{line} как «ZN-2026-0147» ({hint})",
        f"cases/two.yaml:{where(two, 'firm')}: client.kind: недопустимое значение «firm» (допустимо: person, company, entrepreneur)",
        f"cases/two.yaml:{where(two, '2026-02-30')}: order.date: «2026-02-30» — не существующая дата (ГГГГ-ММ-ДД, например 2026-09-01)",
    ]
    assert inputs.files_checked == 6  # five cases and the shop


def test_missing_path_is_reported(tmp_path, shop_path):
    inputs = validate_inputs([tmp_path / "nope"], shop_path)
    assert [str(p) for p in inputs.problems] == [f"{tmp_path}/nope:1:1: нет такого файла или папки (проверьте путь)"]


def test_missing_required_field_names_it_and_says_what_to_add(tmp_path):
    problems = check(tmp_path, IVANOV.replace("  address: 101000, г. Москва, ул. Ленина, д. 1, кв. 2\n", "", 1))
    assert problems == [
        f"c.yaml:{where(IVANOV, '  kind: ', 2)}: client.address: нет обязательного поля "
        "(добавьте address: Почтовый адрес с индексом, на который отправляются письма)"
    ]
