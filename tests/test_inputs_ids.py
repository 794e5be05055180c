"""A case id names the case's folder: no Windows device name, no Russian letter hidden among
Latin ones, and no id twice — and when an id is repeated, neither case is built."""

from pathlib import Path

import pytest

from pipeline.inputs.ids import skeleton
from pipeline.inputs.validate import validate_inputs

ROOT = Path(__file__).resolve().parent.parent
IVANOV = (ROOT / "cases" / "ivanov-refusal.yaml").read_text(encoding="utf-8")
VECTOR = (ROOT / "cases" / "vector-company.yaml").read_text(encoding="utf-8")
SHOP = (ROOT / "shop.yaml").read_text(encoding="utf-8")
REPEATED = "(у каждого дела свой id; пока он повторяется, не собирается ни одно из этих дел)"
# Where the id stands in the example cases: line:column, and the line alone.
AT = f"{IVANOV[: IVANOV.index('id: ZN-')].count(chr(10)) + 1}:5"
LINE = AT.split(":")[0]
V_LINE = str(VECTOR[: VECTOR.index("id: ZN-")].count(chr(10)) + 1)
MIXED = "(наберите id буквами одного алфавита — похожая буква даёт другую папку и другое дело)"


def run(tmp_path, files: dict[str, str]):
    (tmp_path / "shop.yaml").write_text(SHOP, encoding="utf-8")
    folder = tmp_path / "cases"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    inputs = validate_inputs([folder], tmp_path / "shop.yaml")
    return [str(p).replace(f"{tmp_path}/", "") for p in inputs.problems], sorted(case.id for case in inputs.cases)


def with_id(case_id: str, text: str = IVANOV) -> str:
    return text.replace("id: ZN-2026-0147", f"id: {case_id}").replace("id: ZN-2026-0171", f"id: {case_id}")


@pytest.mark.parametrize(
    ("case_id", "device"), [("CON", "CON"), ("nul.txt", "NUL"), ("Com1", "COM1"), ("LPT9.2026", "LPT9")]
)
def test_a_windows_device_name_is_refused(tmp_path, case_id, device):
    problems, built = run(tmp_path, {"c.yaml": with_id(case_id)})
    assert problems == [
        f"cases/c.yaml:{AT}: id: «{case_id}» — имя устройства Windows ({device}) "
        "(папку с таким именем Windows не создаст; выберите другой id)"
    ]
    assert built == []


@pytest.mark.parametrize("case_id", ["CONSOLE", "COM10", "NULL-1", "AUX_2", "con-1"])
def test_names_that_only_start_like_a_device_are_fine(tmp_path, case_id):
    assert run(tmp_path, {"c.yaml": with_id(case_id)}) == ([], [case_id])


def test_a_russian_look_alike_in_a_latin_id_is_refused(tmp_path):
    problems, _ = run(tmp_path, {"c.yaml": with_id("ZN-2026-0147-\u0410\u0412")})  # Cyrillic А, В
    assert problems == [
        f"cases/c.yaml:{AT}: id: «ZN-2026-0147-АВ» — латинские и русские буквы вперемешку: "
        f"русские буквы «А» (14-й знак), «В» (15-й знак) {MIXED}"
    ]


def test_a_latin_look_alike_in_a_russian_id_is_refused(tmp_path):
    problems, _ = run(tmp_path, {"c.yaml": with_id("ЗН-0147-Б-C")})  # Latin C
    assert problems == [
        f"cases/c.yaml:{AT}: id: «ЗН-0147-Б-C» — латинские и русские буквы вперемешку: латинская буква «C» (11-й знак) {MIXED}"
    ]


@pytest.mark.parametrize("case_id", ["ЗН-0147", "ZN-2026-0147", "ZN-Ж-1", "дело-7.2"])
def test_ids_of_one_script_or_without_look_alikes_are_fine(tmp_path, case_id):
    assert run(tmp_path, {"c.yaml": with_id(case_id)}) == ([], [case_id])


def test_a_repeated_id_builds_neither_case(tmp_path):
    problems, built = run(tmp_path, {"a.yaml": IVANOV, "b/b.yaml": IVANOV, "v.yaml": VECTOR})
    assert problems == [
        f"cases/a.yaml:{AT}: id: id «ZN-2026-0147» есть и в деле cases/b/b.yaml:{LINE} {REPEATED}",
        f"cases/b/b.yaml:{AT}: id: id «ZN-2026-0147» есть и в деле cases/a.yaml:{LINE} {REPEATED}",
    ]
    assert built == ["ZN-2026-0171"]  # the other cases are still built


def test_an_id_three_times_names_the_other_two(tmp_path):
    problems, _ = run(tmp_path, {"a.yaml": IVANOV, "b.yaml": IVANOV, "c.yaml": IVANOV})
    assert problems[0] == (
        f"cases/a.yaml:{AT}: id: id «ZN-2026-0147» есть и в делах cases/b.yaml:{LINE}, cases/c.yaml:{LINE} {REPEATED}"
    )
    assert len(problems) == 3


def test_ids_that_differ_only_by_look_alike_letters_are_the_same_id(tmp_path):
    latin, russian = "EK-1", "\u0415\u041a-1"  # Latin E K; Cyrillic Е К
    problems, built = run(tmp_path, {"a.yaml": with_id(latin), "b.yaml": with_id(russian, VECTOR)})
    assert problems == [
        f"cases/a.yaml:{AT}: id: id «EK-1» есть и в деле cases/b.yaml:{V_LINE} как «ЕК-1» {REPEATED}",
        f"cases/b.yaml:{V_LINE}:5: id: id «ЕК-1» есть и в деле cases/a.yaml:{LINE} как «EK-1» {REPEATED}",
    ]
    assert built == []


def test_skeleton_reads_look_alikes_as_latin_and_ignores_case():
    assert skeleton("ZN-2026-\u041e147") == skeleton("zn-2026-o147") == "zn-2026-o147"
    assert skeleton("ЗН-0147") != skeleton("3H-0147")  # a digit is not a letter
