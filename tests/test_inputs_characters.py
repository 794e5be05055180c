"""Characters a letter must not carry: a control character anywhere is an error pointed at in
the value; an invisible one (a bidi override, a zero-width space) in a name or an address is a
warning showing where it is; neither ever reaches the templates."""

from pathlib import Path

import pytest

from pipeline.inputs.characters import excerpt, visible
from pipeline.inputs.validate import validate_inputs

ROOT = Path(__file__).resolve().parent.parent
IVANOV = (ROOT / "cases" / "ivanov-refusal.yaml").read_text(encoding="utf-8")
SHOP = (ROOT / "shop.yaml").read_text(encoding="utf-8")
BAD = "(удалите его — в документе Word такой символ недопустим)"
NAME = "  name: Иванов Иван Иванович\n"


def where(text: str, value: str, skip: int = 0) -> str:
    """line:column where `value` is written in `text`, plus `skip` characters (the example cases
    change; the messages do not)."""
    index = text.index(value) + skip
    return f"{text.count(chr(10), 0, index) + 1}:{index - text.rfind(chr(10), 0, index)}"


def run(tmp_path, text: str, shop_text: str = SHOP):
    (tmp_path / "shop.yaml").write_text(shop_text, encoding="utf-8")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    return validate_inputs([tmp_path / "c.yaml"], tmp_path / "shop.yaml")


def lines(tmp_path, problems) -> list[str]:
    return [str(problem).replace(f"{tmp_path}/", "") for problem in problems]


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\v", "U+000B"), ("\\0", "U+0000"), ("\\e", "U+001B"), ("\\x7f", "U+007F"), ("\\x9b", "U+009B")],
)
def test_a_control_character_in_a_name_is_an_error_at_the_value(tmp_path, escape, code):
    text = IVANOV.replace(NAME, f'  name: "Иванов Иван{escape} Иванович"\n')
    inputs = run(tmp_path, text)
    assert lines(tmp_path, inputs.problems) == [
        f"c.yaml:{where(text, 'name: ', 6)}: client.name: управляющий символ {code} на 12-м знаке: «Иванов Иван⟨{code}⟩ Иванович» {BAD}"
    ]
    assert inputs.cases == ()


def test_a_non_character_is_an_error_too(tmp_path):
    text = IVANOV.replace(NAME, '  name: "Иванов Иван Иванович\\uFFFF"\n')
    inputs = run(tmp_path, text)
    assert lines(tmp_path, inputs.problems) == [
        f"c.yaml:{where(text, 'name: ', 6)}: client.name: недопустимый символ U+FFFF на 21-м знаке: «Иванов Иван Иванович⟨U+FFFF⟩» {BAD}"
    ]


def test_the_control_character_replaces_the_schema_line_that_would_quote_it(tmp_path):
    # An enum or a pattern would echo the raw character; the character is the one thing to say.
    text = IVANOV.replace("  kind: person\n", '  kind: "person\\v"\n', 1)
    inputs = run(tmp_path, text)
    assert lines(tmp_path, inputs.problems) == [
        f"c.yaml:{where(text, 'kind: ', 6)}: client.kind: управляющий символ U+000B на 7-м знаке: «person⟨U+000B⟩» {BAD}"
    ]


def test_tabs_and_line_breaks_in_notes_are_fine(tmp_path):
    text = IVANOV.replace(
        "notes: Клиент обещал забрать автомобиль после зарплаты. Не печатается.",
        "notes: |\n  Первая строка\n  Вторая\tстрока\n",
    )
    inputs = run(tmp_path, text)
    assert (inputs.problems, inputs.warnings, len(inputs.cases)) == ((), (), 1)


def test_a_control_character_in_the_shop_profile_is_an_error(tmp_path):
    shop = SHOP.replace("short_name: Автосервис Плюс", 'short_name: "Автосервис\\0Плюс"')
    inputs = run(tmp_path, IVANOV, shop)
    assert lines(tmp_path, inputs.problems) == [
        f"shop.yaml:{where(shop, 'short_name: ', 12)}: short_name: управляющий символ U+0000 на 11-м знаке: «Автосервис⟨U+0000⟩Плюс» {BAD}"
    ]
    assert inputs.shop is None


def test_a_bidi_override_in_a_name_is_a_warning_showing_where(tmp_path):
    text = IVANOV.replace(NAME, '  name: "Иванов \\u202EИван Иванович"\n')
    inputs = run(tmp_path, text)
    assert inputs.problems == ()
    assert len(inputs.cases) == 1  # a warning never keeps a case from being built
    assert lines(tmp_path, inputs.warnings) == [
        f"предупреждение: c.yaml:{where(text, 'name: ', 6)}: client.name: невидимый символ U+202E на 8-м знаке: "
        "«Иванов ⟨U+202E⟩Иван Иванович» (он меняет порядок букв в письме — удалите его)"
    ]


def test_a_zero_width_space_in_an_address_is_a_warning(tmp_path):
    text = IVANOV.replace("  address: 101000, г. Москва", "  address: 101000,\u200b г. Москва")
    inputs = run(tmp_path, text)
    assert lines(tmp_path, inputs.warnings) == [
        f"предупреждение: c.yaml:{where(text, '101000,')}: client.address: невидимый символ U+200B на 8-м знаке: "
        "«101000,⟨U+200B⟩ г. Москва, ул. Ленина, д. 1, кв. 2» "
        "(в письме его не видно, но имя или адрес уже не совпадёт с набранным заново — удалите его)"
    ]


def test_invisible_characters_are_looked_for_in_names_and_addresses_only(tmp_path):
    witness = "    - Смирнов А. А., автослесарь\n"
    text = IVANOV.replace(witness, "    - Смирнов\u00ad А. А., автослесарь\n").replace(
        "Не печатается.", "Не\u200b печатается."
    )
    inputs = run(tmp_path, text)
    assert [(w.field, f"{w.line}:{w.column}") for w in inputs.warnings] == [
        ("refusal.witnesses[1]", where(text, "Смирнов\u00ad"))
    ]


def test_visible_shows_every_invisible_character_on_one_line():
    assert visible("a\nb\u202ec\u2028d\x00") == "a⟨U+000A⟩b⟨U+202E⟩c⟨U+2028⟩d⟨U+0000⟩"
    assert visible("Иванов\u00a0Иван") == "Иванов\u00a0Иван"  # a no-break space is seen as a space


def test_a_long_value_is_cut_around_the_character():
    text = "а" * 100 + "\x0b" + "б" * 100
    shown = excerpt(text, 100)
    assert shown.startswith("«…") and shown.endswith("…»") and "⟨U+000B⟩" in shown
    assert len(shown) < 80
