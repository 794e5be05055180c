#!/usr/bin/env bash
# "It installs like a library": build a wheel from this checkout, install it
# into a fresh virtual environment and run the `pipeline` console script from
# a folder that is not the checkout (no templates/ there: the shipped ones are used).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="$root/.venv/bin/python"
[ -x "$py" ] || py=python3

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "wheel: FAILED: $*" >&2; exit 1; }

# Build from a copy of the sources, so stale build/ or *.egg-info in the checkout
# can neither leak into the wheel nor be rewritten under other people's feet.
mkdir "$tmp/src" "$tmp/dist" "$tmp/run"
tar -C "$root" -cf - --exclude=./.git --exclude=./.venv --exclude=./.venv-uno --exclude=./build --exclude=./out \
    --exclude=./state --exclude='*.egg-info' --exclude='*_cache' --exclude=.hypothesis . |
    tar -C "$tmp/src" -xf -
"$py" -m build --wheel --outdir "$tmp/dist" "$tmp/src" >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log" >&2; fail "python -m build"; }
wheel=$(echo "$tmp"/dist/*.whl)

"$py" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --disable-pip-version-check "$wheel" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log" >&2; fail "pip install $wheel"; }
export PATH="$tmp/venv/bin:$PATH"

# The console script, from another folder: only cases/ and shop.yaml are copied there.
cp -r "$root/cases" "$root/shop.yaml" "$tmp/run/"
cd "$tmp/run"
[ "$(command -v pipeline)" = "$tmp/venv/bin/pipeline" ] || fail "pipeline script not installed"

# Package resources, as installed (from here: in the checkout, ./pipeline would shadow them).
expected_templates="$(cd "$root/templates" && ls -1 *.docx | sort | tr '\n' ' ')"
EXPECTED_TEMPLATES="$expected_templates" "$tmp/venv/bin/python" - <<'EOF' || fail "package resources"
import os
from importlib.resources import files
shipped = sorted(p.name for p in files("pipeline.templates").iterdir() if p.name.endswith(".docx"))
assert shipped == os.environ["EXPECTED_TEMPLATES"].split(), shipped  # every template of templates/ ships
assert files("pipeline.inputs").joinpath("schemas/case.schema.json").is_file()
for table in ("key_rates.csv", "work_calendar.csv", "court_rules.csv", "state_duty.csv"):
    assert files("pipeline.figures").joinpath("data", table).is_file(), table
EOF

pipeline --help >/dev/null || fail "pipeline --help"
pipeline validate cases >"$tmp/validate.log" 2>&1 || { cat "$tmp/validate.log" >&2; fail "pipeline validate cases"; }
# --allow-unconfirmed-rates: the shipped key-rate table's latest rows cannot be confirmed offline.
# --draft: the numbered letters as previews (a number goes only with its PDF, through the journal).
pipeline build cases --format docx --draft --as-of 2026-11-23 --out out --allow-unconfirmed-rates >"$tmp/docs.log" 2>&1 ||
    { cat "$tmp/docs.log" >&2; fail "pipeline build cases --format docx --draft"; }
# ZN-2026-0147 (ivanov) is due all four: the act and invoice, and the notice and pretension as drafts.
for f in refusal_act.docx invoice.docx drafts/overdue_notice-ПРОЕКТ.docx drafts/pretension-ПРОЕКТ.docx; do
    [ -s "out/ZN-2026-0147/$f" ] || { cat "$tmp/docs.log" >&2; fail "out/ZN-2026-0147/$f was not written"; }
done

echo "wheel: ok ($(find out -name '*.docx' | wc -l) documents)"
