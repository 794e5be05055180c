"""A template that would run forever, fill the memory or fail in Python's own
words ends in one Russian line naming the template (and, where known, the
paragraph): the limits of pipeline/word/limits.py, kept by the sandbox."""

import io
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from pipeline.errors import TemplateError
from pipeline.word.limits import MIB, Limits, check_template_file
from pipeline.word.parallel import map_forked
from pipeline.word.render import TemplateCache, render_docx, render_docx_bytes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def tiny_template(path: Path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def refusal(tmp_path: Path, *paragraphs: str, limits: Limits | None = None) -> str:
    """The message rendering a template of these paragraphs fails with; nothing is written."""
    template = tiny_template(tmp_path / "letter.docx", *paragraphs)
    with pytest.raises(TemplateError) as raised:
        render_docx(template, {}, tmp_path / "out.docx", cache=TemplateCache(limits or Limits()))
    assert not (tmp_path / "out.docx").exists()
    assert "\n" not in str(raised.value) and "Traceback" not in str(raised.value)
    return str(raised.value)


def test_a_range_beyond_ten_thousand_is_refused_at_once(tmp_path):
    started = time.monotonic()
    message = refusal(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}")
    assert message == (
        "letter.docx: range() на 100 000 чисел, а допускается не больше 10 000 "
        "(абзац «{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}») "
        "— уменьшите диапазон цикла"
    )
    assert time.monotonic() - started < 5


def test_nested_loops_stop_after_a_hundred_thousand_repetitions(tmp_path):
    started = time.monotonic()
    message = refusal(
        tmp_path, "Список:", "{% for i in range(10000) %}{% for j in range(10000) %}{{ j }}{% endfor %}{% endfor %}"
    )
    assert message == (
        "letter.docx: циклы и макросы шаблона повторились больше 100 000 раз "
        "(абзац «{% for i in range(10000) %}{% for j in range(10000) %}{{ j }}{% endfor %}{% endfor %}») "
        "— проверьте вложенные {% for %} и макросы, которые вызывают сами себя"
    )
    assert time.monotonic() - started < 10  # about 0.1 s; 10**8 iterations would take minutes


def test_a_macro_calling_itself_twice_stops_at_the_time_limit(tmp_path):
    started = time.monotonic()
    message = refusal(
        tmp_path,
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}",
        "Итог: {{ f(60) }}",
        limits=Limits(seconds=0.5, repetitions=10**12),
    )
    assert message == (
        "letter.docx: шаблон собирается дольше 0,5 с и прерван (абзац «{% macro f(n) %}{% if n %}{{ f(n - 1) }}"
        "{{ f(n - 1) }}{% endif %}{% endmacro %}») — проверьте циклы {% for %} и макросы, которые вызывают сами себя"
    )
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("tag", "operation"),
    [
        ("{{ '%0999999999d'|format(1) }}", "format"),
        ("{{ 'x'|center(10**9) }}", "center"),
        ("{{ 'ab' * 10**9 }}", "*"),
        ("{{ 'x'.ljust(10**9) }}", "ljust"),
        ("{{ '{:>999999999}'.format(1) }}", "format"),
        ("{{ '%*d' % (10**9, 1) }}", "%"),
        ("{{ ['x' * 1000] * 10000 }}", "*"),
        ("{{ ('x' * 999999).replace('x', 'yy') }}", "replace"),
        ("{{ range(10)|join('x' * 999999) }}", "join"),
        ("{{ 'x'|indent(10**9) }}", "indent"),
        ("{{ [1]|batch(10**9, 'x') }}", "batch"),
        ("{{ (2).to_bytes(10**9, 'big') }}", "to_bytes"),
    ],
)
def test_a_string_over_a_million_characters_is_refused_before_it_is_made(tmp_path, tag, operation):
    message = refusal(tmp_path, f"Текст {tag}")
    assert message == (
        f"letter.docx: «{operation}» даёт результат длиннее 1 000 000 знаков (абзац «Текст {tag}») "
        "— уменьшите ширину, число повторений или длину текста"
    )


@pytest.mark.parametrize(
    "tag",
    [
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    ],
)
def test_text_doubled_in_a_loop_is_refused(tmp_path, tag):
    assert "даёт результат длиннее 1 000 000 знаков" in refusal(tmp_path, tag)


def test_many_strings_under_the_limit_still_count_against_the_document(tmp_path):
    message = refusal(tmp_path, "{{ range(10000)|map('center', 500000)|list|length }}")
    assert message == (
        "letter.docx: документ по шаблону получается длиннее 20 000 000 знаков "
        "(абзац «{{ range(10000)|map('center', 500000)|list|length }}») — проверьте циклы {% for %} и повторение текста"
    )


def test_a_loop_repeating_a_long_paragraph_counts_its_text(tmp_path):
    message = refusal(tmp_path, "{%p for i in range(9000) %}", "x" * 5000, "{%p endfor %}")
    assert "документ по шаблону получается длиннее 20 000 000 знаков" in message


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Итого: {{ 1/0 }}", "в шаблоне деление на ноль (абзац «Итого: {{ 1/0 }}») — проверьте делитель в выражении"),
        (
            "Пени: {{ 10.0**400 }}",
            "в шаблоне получается слишком большое число (абзац «Пени: {{ 10.0**400 }}») "
            "— проверьте вычисление в выражении",
        ),
        (
            "{{ 10**100000 }}",
            "«**» даёт число больше чем из 1 000 цифр (абзац «{{ 10**100000 }}») — проверьте вычисление в шаблоне",
        ),
        (
            "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
            "макрос в шаблоне вызывает сам себя без конца (абзац «{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}») "
            "— у рекурсии должно быть условие выхода",
        ),
    ],
)
def test_arithmetic_errors_and_endless_recursion_are_one_line(tmp_path, paragraph, expected):
    assert refusal(tmp_path, "Уважаемый клиент!", paragraph) == f"letter.docx: {expected}"


def test_changing_a_list_is_refused_so_it_cannot_double_itself(tmp_path):
    message = refusal(tmp_path, "{% set l = [1] %}{% for i in range(40) %}{{ l.extend(l) }}{% endfor %}")
    assert message.startswith("letter.docx: ошибка шаблона: шаблону запрещено изменять списки и словари")


def test_lipsum_is_not_there_to_write_forever(tmp_path):
    assert refusal(tmp_path, "{{ lipsum(10**9) }}") == "letter.docx: ошибка шаблона: 'lipsum' is undefined"


def test_python_errors_in_a_template_are_messages(tmp_path):
    assert refusal(tmp_path, "{{ '{x}'.format() }}") == "letter.docx: ошибка шаблона: KeyError: 'x'"


def test_a_template_nested_too_deep_for_python_is_refused(tmp_path):
    message = refusal(tmp_path, "{% for i in range(2) %}" * 25 + "x" + "{% endfor %}" * 25)
    assert message.startswith("letter.docx: шаблон слишком сложен для разбора (SyntaxError: too many statically")
    assert message.endswith("— упростите вложенные условия, циклы и выражения")


def test_the_time_limit_holds_in_forked_workers(tmp_path):
    """No signals, no threads: the limits hold wherever the render runs (parallel.py forks for --jobs)."""
    template = tiny_template(
        tmp_path / "slow.docx",
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    )
    cache = TemplateCache(Limits(seconds=0.05))

    def render(_: int) -> str:
        try:
            render_docx_bytes(template, {}, cache)
        except TemplateError as err:
            return str(err)
        return "rendered"

    messages = list(map_forked(render, range(16), workers=2, min_items=1))
    assert all("шаблон собирается дольше 0,05 с и прерван" in message for message in messages), messages


def test_ordinary_templates_still_render_within_the_limits(tmp_path):
    template = tiny_template(
        tmp_path / "fine.docx",
        "{{ 1 + 2 }} {{ 'a' ~ 'b' }} {{ [1, 2]|join(', ') }} {{ '%.2f'|format(3.14159) }} {{ 'x'|center(9) }}",
        "{% for i in range(3) %}{{ loop.index }}{% endfor %} {{ 2**10 }} {{ '{:>5}'.format('ab') }} {{ 'ab' * 3 }}",
    )
    data = render_docx_bytes(template, {}, TemplateCache())
    text = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    for expected in ("3 ab 1, 2 3.14     x    ", "123 1024    ab ababab"):
        assert expected in text


# A zip bomb: parts that unpack to far more than the file. Never unpacked.


def docx_with(path: Path, parts: dict[str, tuple[int, bytes]]) -> Path:
    """A copy of the shipped invoice with extra parts, each `size` bytes of `block` repeated."""
    with zipfile.ZipFile(TEMPLATES / "invoice.docx") as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            if name not in parts:
                out.writestr(name, source.read(name))
        for name, (size, block) in parts.items():
            chunk = block * (MIB // len(block))
            with out.open(name, "w", force_zip64=True) as part:
                for _ in range(size // len(chunk)):
                    part.write(chunk)
    return path


def test_a_zip_bomb_is_refused_without_unpacking_it(tmp_path, monkeypatch):
    bomb = docx_with(tmp_path / "bomb.docx", {"word/media/image9.png": (60 * MIB, b"\0")})
    assert bomb.stat().st_size < MIB
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("a part was unpacked"))
    with pytest.raises(TemplateError) as raised:
        render_docx_bytes(bomb, {}, TemplateCache())
    assert str(raised.value) == (
        "bomb.docx: шаблон слишком велик после распаковки (часть word/media/image9.png: 60 МБ, допускается 50 МБ) "
        "— уменьшите картинки, уберите вложения и сохраните шаблон в Word заново"
    )


def test_a_part_packed_a_thousand_times_is_refused(tmp_path, monkeypatch):
    bomb = docx_with(tmp_path / "bomb.docx", {"word/document.xml": (4 * MIB, b" ")})
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("a part was unpacked"))
    with pytest.raises(TemplateError) as raised:
        render_docx_bytes(bomb, {}, TemplateCache())
    message = str(raised.value)
    assert message.startswith(
        "bomb.docx: шаблон слишком велик после распаковки (часть word/document.xml: 4 МБ, сжата в "
    )
    assert message.endswith(
        "раз — так сжимаются только искусственно раздутые файлы) — это не обычный документ Word: "
        "возьмите исходный шаблон и сохраните его в Word заново"
    )


def test_parts_too_big_together_are_refused(tmp_path, monkeypatch):
    noise = bytes(range(256)) * 16  # packs only about 250 times in total
    template = docx_with(tmp_path / "big.docx", {f"word/media/{n}.bin": (2 * MIB, noise) for n in range(3)})
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("a part was unpacked"))
    with pytest.raises(TemplateError) as raised:
        render_docx_bytes(template, {}, TemplateCache(Limits(package_bytes=5 * MIB, compression_ratio=10**6)))
    assert str(raised.value) == (
        "big.docx: шаблон слишком велик после распаковки (всего 7 МБ, допускается 5 МБ) "
        "— уменьшите картинки, уберите вложения и сохраните шаблон в Word заново"
    )


def test_a_billion_laughs_part_is_refused(tmp_path):
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{f"&{chr(97 + n)};" * 10}">' for n in range(9)
    )
    with zipfile.ZipFile(TEMPLATES / "invoice.docx") as source:
        body = source.read("word/document.xml").decode().split("?>", 1)[1]
        laughs = f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>' + body.replace(
            "<w:body>", "<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p>", 1
        )
        with zipfile.ZipFile(tmp_path / "laughs.docx", "w") as out:
            for name in source.namelist():
                out.writestr(name, laughs if name == "word/document.xml" else source.read(name))
    with pytest.raises(TemplateError, match=r"^laughs\.docx: повреждён word/document\.xml"):
        render_docx_bytes(tmp_path / "laughs.docx", {}, TemplateCache())


def test_a_part_with_too_much_tag_text_is_refused_before_compiling(tmp_path):
    started = time.monotonic()
    message = refusal(tmp_path, "{{ 1 }}" * 20_000)
    assert message == (
        "letter.docx: в word/document.xml 140 000 знаков в тегах, допускается не больше 100 000 "
        "— шаблон слишком сложен: упростите теги или разделите шаблон"
    )
    assert time.monotonic() - started < 5  # compiling it would take seconds and a gigabyte


def test_a_template_file_can_be_checked_before_anything_reads_it(tmp_path, monkeypatch):
    """For check-templates and the font check, which read text parts themselves."""
    check_template_file(TEMPLATES / "invoice.docx")  # an ordinary template passes
    bomb = docx_with(tmp_path / "bomb.docx", {"word/document.xml": (11 * MIB, b" ")})
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("a part was unpacked"))
    with pytest.raises(
        TemplateError,
        match=r"^bomb\.docx: шаблон слишком велик после распаковки \(часть word/document\.xml: 11 МБ, допускается 10 МБ\)",
    ):
        check_template_file(bomb)


def test_the_file_check_counts_tag_text_too(tmp_path):
    template = tiny_template(tmp_path / "letter.docx", "{{ 1 }}" * 20_000)
    with pytest.raises(TemplateError, match=r"^letter\.docx: в word/document\.xml 140 000 знаков в тегах"):
        check_template_file(template)
