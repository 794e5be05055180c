"""The YAML loader: exact marks, values as typed, hostile files refused fast."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from pipeline.errors import InputError
from pipeline.inputs.load import MAX_FILE_BYTES, load_yaml, parse_yaml


def problems_of(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, Path("cases/x.yaml"))
    return [str(problem) for problem in caught.value.problems]


def test_values_keep_their_line_and_column():
    loaded = parse_yaml("id: A-1\nclient:\n  name: Иванов Иван\n", Path("x.yaml"))
    mark = loaded.value_marks[("client", "name")]
    assert (mark.line, mark.column) == (3, 9)
    assert loaded.key_marks[("client", "name")].column == 3


def test_dates_stay_text_and_impossible_dates_do_not_crash():
    # PyYAML's own timestamp resolver raises ValueError on 2026-13-45.
    data = parse_yaml("a: 2026-09-01\nb: 2026-13-45\nc: 2026-09-03T14:30\n", Path("x.yaml")).data
    assert data == {"a": "2026-09-01", "b": "2026-13-45", "c": "2026-09-03T14:30"}


def test_amounts_are_decimal_never_float():
    data = parse_yaml("price: 12.30\nqty: 1.5\nn: 3\n", Path("x.yaml")).data
    assert data == {"price": Decimal("12.30"), "qty": Decimal("1.5"), "n": 3}
    assert isinstance(data["price"], Decimal) and str(data["price"]) == "12.30"


def test_digit_identifier_with_leading_zero_is_kept_as_typed():
    # YAML 1.1 would read 0274062111 as an octal number.
    assert parse_yaml("inn: 0274062111\n", Path("x.yaml")).data == {"inn": "0274062111"}


def test_only_true_and_false_are_booleans():
    assert parse_yaml("a: yes\nb: true\nc: off\n", Path("x.yaml")).data == {"a": "yes", "b": True, "c": "off"}


def test_alias_bomb_is_refused():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b]\n'
    assert problems_of(bomb) == [
        "cases/x.yaml:1:4: якоря и ссылки YAML (&имя, *имя) не поддерживаются — повторите значение явно"
    ]


def test_duplicate_key_is_an_error_not_a_silent_overwrite():
    assert problems_of("id: A\nid: B\n") == [
        "cases/x.yaml:2:1: id: ключ повторяется (уже был в строке 1) (оставьте один)"
    ]


def test_deep_nesting_is_refused():
    assert "слишком глубокая вложенность" in problems_of("a: " + "[" * 50 + "]" * 50 + "\n")[0]


def test_python_tags_are_refused():
    assert problems_of("a: !!python/object:os.system x\n") == [
        "cases/x.yaml:1:4: a: теги YAML (tag:yaml.org,2002:python/object:os.system) не поддерживаются (уберите тег)"
    ]


def test_syntax_error_points_at_the_line():
    assert problems_of("id: A\nclient: x: y\n")[0].startswith("cases/x.yaml:2:10: двоеточие здесь не к месту")


def test_empty_file():
    assert problems_of("# only a comment\n") == ["cases/x.yaml:1:1: файл пустой (заполните его по образцу из cases/)"]


def test_oversized_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(InputError) as caught:
        load_yaml(big)
    assert "файл слишком большой" in str(caught.value)


def test_not_utf8(tmp_path):
    path = tmp_path / "cp1251.yaml"
    path.write_bytes("имя: Иванов\n".encode("cp1251"))
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert str(caught.value) == f"{path}:1:1: файл не в кодировке UTF-8 (сохраните его как UTF-8)"


def test_a_number_of_5000_digits_is_one_located_problem_not_a_crash():
    # int() refuses more than 4300 digits; the loader must say so itself, at the value.
    assert problems_of("id: A\nprice: " + "9" * 5000 + "\n") == [
        "cases/x.yaml:2:8: price: число из 5000 цифр — слишком длинное "
        "(не больше 100 цифр; длинный номер или текст возьмите в кавычки)"
    ]
    assert problems_of("qty: 1." + "0" * 120 + "1\n")[0].startswith("cases/x.yaml:1:6: qty: число из 122 цифр")


def test_long_numbers_up_to_the_limit_and_quoted_ones_are_kept():
    data = parse_yaml(f"a: {'7' * 100}\nb: '{'9' * 5000}'\n", Path("x.yaml")).data
    assert data == {"a": int("7" * 100), "b": "9" * 5000}


def test_a_raw_control_character_is_located_in_russian():
    # libyaml counts the position in UTF-8 bytes; the column is in characters.
    assert problems_of("id: A\nимя: Иванов\x0bИван\n") == [
        "cases/x.yaml:2:12: управляющий символ U+000B (удалите его — в документе Word такой символ недопустим)"
    ]
    assert problems_of("a: \x00\n") == [
        "cases/x.yaml:1:4: управляющий символ U+0000 (удалите его — в документе Word такой символ недопустим)"
    ]


def test_a_raw_control_character_is_located_by_the_pure_python_loader_too(monkeypatch):
    from pipeline.inputs import load

    monkeypatch.setattr(load, "_Loader", load._NoAliasLoader)
    assert problems_of("id: A\nимя: Иванов\x85\x0bИван\n") == [
        "cases/x.yaml:2:13: управляющий символ U+000B (удалите его — в документе Word такой символ недопустим)"
    ]


def test_an_unknown_key_with_a_control_character_is_shown_visibly():
    from pipeline.inputs.load import dotted

    assert dotted(("client", "na\x0bme", 0)) == "client.na⟨U+000B⟩me[1]"


def test_the_quick_resolver_tags_as_pyyaml_does_where_it_matters():
    # _Builder reads a tag only to refuse one that is not plain: the quick resolver must give a plain
    # tag exactly where PyYAML's safe resolver does, and PyYAML's own tag where that is not plain.
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from pipeline.inputs.load import _PLAIN_TAGS, _Loader

    pyyaml, quick = yaml.SafeLoader(""), _Loader("")
    values = ["<<", "=", "", "~", "null", "true", "yes", "1", "-1.5", ".inf", "0x1F", "2026-09-01", "x", "<<x", "=="]
    for value in values:
        for implicit in ((True, False), (False, True), (False, False)):
            theirs, ours = pyyaml.resolve(ScalarNode, value, implicit), quick.resolve(ScalarNode, value, implicit)
            assert (ours in _PLAIN_TAGS) == (theirs in _PLAIN_TAGS), (value, implicit)
            assert ours in _PLAIN_TAGS or ours == theirs, (value, implicit)
    for kind in (SequenceNode, MappingNode):
        assert quick.resolve(kind, None, (True, False)) == pyyaml.resolve(kind, None, (True, False))
    assert quick.resolve(ScalarNode, "<<", (True, False)) == "tag:yaml.org,2002:merge"


def test_a_merge_key_value_is_refused_as_a_tag(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: <<\nb: =\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert [problem.message for problem in caught.value.problems] == [
        "теги YAML (tag:yaml.org,2002:merge) не поддерживаются",
        "теги YAML (tag:yaml.org,2002:value) не поддерживаются",
    ]
