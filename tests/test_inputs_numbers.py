"""A number too long to be meant (5 000 digits) is one located line for its own case; every
other case is still checked and built, and a quoted one is simply too large."""

from pathlib import Path

from pipeline.inputs.validate import validate_inputs

ROOT = Path(__file__).resolve().parent.parent
IVANOV = (ROOT / "cases" / "ivanov-refusal.yaml").read_text(encoding="utf-8")
VECTOR = (ROOT / "cases" / "vector-company.yaml").read_text(encoding="utf-8")
SHOP = (ROOT / "shop.yaml").read_text(encoding="utf-8")


def where(text: str, value: str, skip: int = 0) -> str:
    """line:column where `value` is written in `text`, plus `skip` characters (the example cases
    change; the messages do not)."""
    index = text.index(value) + skip
    return f"{text.count(chr(10), 0, index) + 1}:{index - text.rfind(chr(10), 0, index)}"


def run(tmp_path, files: dict[str, str]):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / "cases").mkdir(exist_ok=True)
        (tmp_path / "cases" / name).write_text(text, encoding="utf-8")
    inputs = validate_inputs([tmp_path / "cases"], tmp_path / "shop.yaml")
    return [str(p).replace(f"{tmp_path}/", "") for p in inputs.problems], [case.id for case in inputs.cases]


def test_a_5000_digit_number_fails_its_case_alone(tmp_path):
    huge = IVANOV.replace("    price: 1500.00\n", "    price: " + "9" * 5000 + "\n")
    problems, built = run(tmp_path, {"a-huge.yaml": huge, "b-vector.yaml": VECTOR})
    assert problems == [
        f"cases/a-huge.yaml:{where(huge, 'price: 9', 7)}: work[1].price: число из 5000 цифр — слишком длинное "
        "(не больше 100 цифр; длинный номер или текст возьмите в кавычки)"
    ]
    assert built == ["ZN-2026-0171"]


def test_a_5000_digit_number_in_an_integer_field_or_a_text_field(tmp_path):
    text = IVANOV.replace("  mileage_km: 45210", "  mileage_km: " + "1" * 5000).replace(
        "  vin: XTAGFL110LY123456", "  vin: " + "2" * 4400
    )
    problems, _ = run(tmp_path, {"c.yaml": text})
    assert [line.split(": ")[1] for line in problems] == ["vehicle.vin", "vehicle.mileage_km"]
    assert [line.split(": ")[0] for line in problems] == [
        f"cases/c.yaml:{where(text, 'vin: ', 5)}",
        f"cases/c.yaml:{where(text, 'mileage_km: ', 12)}",
    ]


def test_a_quoted_5000_digit_amount_is_too_large(tmp_path):
    text = IVANOV.replace("    price: 1500.00\n", f"    price: '{'9' * 5000}'\n")
    problems, spot = run(tmp_path, {"c.yaml": text})[0], where(text, "price: '", 7)
    assert problems == [
        f"cases/c.yaml:{spot}: work[1].price: «{'9' * 60}…» — больше допустимого (не больше 1000000000)"
    ]


def test_a_quoted_amount_with_5000_decimals_is_refused(tmp_path):
    price = "1." + "0" * 4999 + "1"
    text = IVANOV.replace("    price: 1500.00\n", f"    price: '{price}'\n")
    problems, spot = run(tmp_path, {"c.yaml": text})[0], where(text, "price: '", 7)
    assert problems == [
        f"cases/c.yaml:{spot}: work[1].price: «{price[:60]}…» — больше двух знаков после точки (рубли и копейки: 1500.55)"
    ]
