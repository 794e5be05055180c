"""Hostile and broken input never ends in a traceback: hypothesis mutates the
example cases and the shop profile (and throws plain garbage), and every file
must either become documents' context or be refused with Problem lines.
Generated Word templates (random Jinja: loops, macros, filters, arithmetic,
string methods, broken tags) must render or fail with one TemplateError line,
within the render limits, never hanging.

`make test` runs a few hundred examples; `make fuzz` runs FUZZ_EXAMPLES
(default 10 000) of each kind (a third as many templates: each is a Word file).
"""

import io
import os
import time
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError, TemplateError
from pipeline.figures.calc import compute_figures
from pipeline.figures.rates import load_key_rates
from pipeline.inputs.load import parse_yaml
from pipeline.inputs.validate import validate_inputs
from pipeline.word.limits import Limits
from pipeline.word.render import TemplateCache, render_docx_bytes
from pipeline.wording.context import build_context

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
CASE_TEXTS = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "cases").glob("*.yaml"))]
SHOP_TEXT = (ROOT / "shop.yaml").read_text(encoding="utf-8")
AS_OF = date(2026, 11, 23)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.text(max_size=40),
    st.sampled_from(
        ["2026-02-30", "2026-09-01", "0000-00-00", "2026-09-03T25:61", "1e9", "-0", "{{ x }}", "../..", "."]
    ),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
)


def paths_of(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from paths_of(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from paths_of(value, (*prefix, index))


def mutate(data, path, action, value):
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif isinstance(parent, dict):
        parent[f"{last}x"] = value  # an unknown, typo-like key
    else:
        parent.append(value)


@st.composite
def mutated_yaml(draw, texts):
    data = yaml.safe_load(draw(st.sampled_from(texts)))
    for _ in range(draw(st.integers(1, 4))):
        candidates = list(paths_of(data))
        if not candidates:
            break
        mutate(
            data, draw(st.sampled_from(candidates)), draw(st.sampled_from(["delete", "replace", "add"])), draw(scalars)
        )
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def damaged_text(draw, texts):
    text = draw(st.sampled_from(texts))
    position = draw(st.integers(0, len(text)))
    cut = draw(st.integers(0, 20))
    noise = draw(
        st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`\t\n ,?") + ["ё", "\u00a0", "\x00"]), max_size=6)
    )
    return text[:position] + noise + text[position + cut :]


def run_everything(tmp_path: Path, case_text: str, shop_text: str = SHOP_TEXT) -> None:
    """What `build` does short of docxtpl: validate, compute, build every due context."""
    (tmp_path / "shop.yaml").write_text(shop_text, encoding="utf-8")
    (tmp_path / "case.yaml").write_text(case_text, encoding="utf-8")
    inputs = validate_inputs([tmp_path / "case.yaml"], tmp_path / "shop.yaml")
    for problem in inputs.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
    for case in inputs.cases:
        try:
            figures = compute_figures(case, inputs.shop, AS_OF, load_key_rates())
            for kind in figures.documents_due:
                build_context(case, inputs.shop, figures, kind)
        except PipelineError:
            pass  # a clear, user-facing error is an acceptable answer


@FUZZ
@given(text=mutated_yaml(CASE_TEXTS))
def test_mutated_cases_never_crash(tmp_path, text):
    run_everything(tmp_path, text)


@FUZZ
@given(text=damaged_text(CASE_TEXTS))
def test_damaged_case_text_never_crashes(tmp_path, text):
    run_everything(tmp_path, text)


@FUZZ
@given(text=mutated_yaml([SHOP_TEXT]))
def test_mutated_shop_profiles_never_crash(tmp_path, text):
    run_everything(tmp_path, CASE_TEXTS[0], shop_text=text)


@FUZZ
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_loader(text):
    try:
        parse_yaml(text, Path("x.yaml"))
    except PipelineError:
        pass


# Generated templates. Expressions and statements are drawn from what a lawyer (or an
# attacker) could type into a tag, sizes included; the template must render or be refused.

TEMPLATE_EXAMPLES = max(EXAMPLES // 3, 10)
TEMPLATE_SECONDS = 1.0  # the render time limit here; a template may take it, never much more
FUZZ_TEMPLATES = settings(FUZZ, max_examples=TEMPLATE_EXAMPLES)
FUZZ_CONTEXT = {
    "name": "Иван «Ко» & <Сын>",
    "items": [1, 2, 3],
    "rows": [{"name": "a", "sum": "1,00"}, {"name": "b", "sum": "2,00"}],
    "n": 7,
    "text": "строка\tс табом",
    "document": {"date_iso": "2026-10-20"},
}
with zipfile.ZipFile(ROOT / "templates" / "invoice.docx") as _invoice:
    INVOICE_PARTS = {name: _invoice.read(name) for name in _invoice.namelist()}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

literals = st.sampled_from(
    [
        "0",
        "-10**9",
        "10**6",
        "1",
        "-1",
        "7",
        "2.5",
        "1e308",
        "10**9",
        "10**400",
        "10.0**400",
        "none",
        "true",
        "'x'",
        "''",
        "'ab'",
        "'%s'",
        "'%0999999999d'",
        "'{:>999999999}'",
        "'{}{}'",
        "'\\t'",
        "[1, 2]",
        "[]",
        "{'a': 1}",
        "('x',)",
        "name",
        "items",
        "rows",
        "n",
        "text",
        "i",
        "loop",
        "range(3)",
        "range(10000)",
        "range(100000)",
        "namespace(a=1)",
        "dict(a=1)",
        "cycler(1, 2)",
        "lipsum(10**9)",
        "caller()",
        "f(1)",
        "f(n)",
        "g()",
    ]
)
FILTERS = (
    "abs attr batch capitalize center count default dictsort e escape filesizeformat first float forceescape format "
    "groupby indent int join last length list lower items map min max pprint random reject rejectattr replace "
    "reverse round safe select selectattr slice sort string striptags sum title trim truncate unique upper "
    "urlencode urlize wordcount wordwrap xmlattr tojson"
).split()
METHODS = (
    "center ljust zfill replace join format format_map split upper expandtabs translate encode to_bytes items keys "
    "values append extend update pop __class__ mro"
).split()


def _expressions(children):
    arguments = st.lists(children, max_size=3).map(", ".join)
    return st.one_of(
        st.tuples(children, st.sampled_from("+ - * / // % ** ~ == < and or in".split()), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(children, st.sampled_from(FILTERS), arguments).map(lambda t: f"{t[0]}|{t[1]}({t[2]})"),
        st.tuples(children, st.sampled_from(METHODS), arguments).map(lambda t: f"{t[0]}.{t[1]}({t[2]})"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(st.sampled_from(["range", "namespace", "dict", "f", "g"]), arguments).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.lists(children, max_size=3).map(lambda items: f"[{', '.join(items)}]"),
    )


expressions = st.recursive(literals, _expressions, max_leaves=8)


def _statements(children):
    body = st.lists(children, max_size=3).map("".join)
    return st.one_of(
        st.tuples(expressions, body).map(lambda t: f"{{% for i in {t[0]} %}}{t[1]}{{% endfor %}}"),
        st.tuples(expressions, body, body).map(lambda t: f"{{% if {t[0]} %}}{t[1]}{{% else %}}{t[2]}{{% endif %}}"),
        st.tuples(st.sampled_from(["f(n)", "g()"]), body).map(lambda t: f"{{% macro {t[0]} %}}{t[1]}{{% endmacro %}}"),
        st.tuples(st.sampled_from(["f(1)", "g()"]), body).map(lambda t: f"{{% call {t[0]} %}}{t[1]}{{% endcall %}}"),
        st.tuples(st.sampled_from(["upper", "center(99)", "indent(3)"]), body).map(
            lambda t: f"{{% filter {t[0]} %}}{t[1]}{{% endfilter %}}"
        ),
        st.tuples(st.sampled_from(["x", "ns.a", "items"]), expressions).map(lambda t: f"{{% set {t[0]} = {t[1]} %}}"),
    )


statements = st.recursive(
    st.one_of(
        expressions.map(lambda expression: f"{{{{ {expression} }}}}"),
        st.sampled_from(["Текст ", "{{", "}}", "{%", "%}", "{% endfor %}", "{%p if n %}", "{%p endif %}", "{# x #}"]),
        st.text(alphabet="ab {}%#|()'\"", max_size=8),
    ),
    _statements,
    max_leaves=10,
)


def docx_with_paragraphs(paragraphs):
    runs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>' for text in paragraphs)
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{runs}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in INVOICE_PARTS.items():
            archive.writestr(name, document.encode("utf-8") if name == "word/document.xml" else data)
    return buffer.getvalue()


@FUZZ_TEMPLATES
@given(paragraphs=st.lists(statements, min_size=1, max_size=4))
def test_generated_templates_render_or_fail_with_one_line(tmp_path, paragraphs):
    template = tmp_path / "fuzz.docx"
    template.write_bytes(docx_with_paragraphs(paragraphs))
    started = time.monotonic()
    try:
        render_docx_bytes(template, FUZZ_CONTEXT, TemplateCache(Limits(seconds=TEMPLATE_SECONDS)))
    except TemplateError as err:
        message = str(err)
        assert message.startswith("fuzz.docx: ") and "\n" not in message, message
    assert time.monotonic() - started < TEMPLATE_SECONDS + 5, paragraphs
