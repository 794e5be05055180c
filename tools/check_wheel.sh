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
"$tmp/venv/bin/python" - <<'EOF' || fail "package resources"
from importlib.resources import files
shipped = sorted(p.name for p in files("pipeline.templates").iterdir() if p.name.endswith(".docx"))
assert shipped == ["invoice.docx", "overdue_notice.docx", "pretension.docx", "refusal_act.docx"], shipped
assert files("pipeline.inputs").joinpath("schemas/case.schema.json").is_file()
assert files("pipeline.figures").joinpath("data/key_rates.csv").is_file()
EOF

pipeline --help >/dev/null || fail "pipeline --help"
pipeline validate cases >"$tmp/validate.log" 2>&1 || { cat "$tmp/validate.log" >&2; fail "pipeline validate cases"; }
# --allow-unconfirmed-rates: the shipped key-rate table's latest rows cannot be confirmed offline.
pipeline build cases --format docx --as-of 2026-11-23 --out out --allow-unconfirmed-rates >"$tmp/docs.log" 2>&1 ||
    { cat "$tmp/docs.log" >&2; fail "pipeline build cases --format docx"; }
for kind in refusal_act invoice overdue_notice pretension; do  # ZN-2026-0147 (ivanov) is due all four
    f=ZN-2026-0147/$kind.docx
    [ -s "out/$f" ] || { cat "$tmp/docs.log" >&2; fail "out/$f was not written"; }
done

echo "wheel: ok ($(find out -name '*.docx' | wc -l) documents)"
