"""Hostile and broken input never ends in a traceback: hypothesis mutates the
example cases and the shop profile (and throws plain garbage), and every file
must either become documents' context or be refused with Problem lines.

`make test` runs a few hundred examples; `make fuzz` runs FUZZ_EXAMPLES
(default 10 000) of each kind.
"""

import os
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.figures.calc import compute_figures
from pipeline.figures.rates import load_key_rates
from pipeline.inputs.load import parse_yaml
from pipeline.inputs.validate import validate_inputs
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
