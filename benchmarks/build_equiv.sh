#!/bin/sh
# Build fixed registries with the code in CODE into OUT (one folder per case,
# plus exit status, stdout without the timing, stderr), so that two code
# versions can be compared byte for byte with `diff -r`:
#   sh benchmarks/build_equiv.sh CODE OUT
# The synthetic registries are generated once (fixed seed) under $WORK
# (default: $TMPDIR/build-equiv); BIG=1 adds a 10,000-entry case.
# PY is the Python to use (default: .venv/bin/python of CODE, else python3).
set -u
CODE=$1; OUT=$2
PY=${PY:-$( [ -x "$CODE/.venv/bin/python" ] && echo "$CODE/.venv/bin/python" || echo python3 )}
WORK=${WORK:-${TMPDIR:-/tmp}/build-equiv}
mkdir -p "$WORK"
[ -d "$WORK/synth2000" ] || "$PY" "$CODE/benchmarks/synth.py" "$WORK/synth2000" --entries 2000 >/dev/null
rm -rf "$OUT"; mkdir -p "$OUT"
run() {
  name=$1; shift
  (cd "$CODE" && "$PY" -m bot build --out "$OUT/$name" --date 2026-01-01 "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr"; echo $? >"$OUT/$name.rc")
  sed -i "s/[0-9.]* s\$/N s/; s|$OUT/|OUT/|g" "$OUT/$name.stdout" "$OUT/$name.stderr"
}
run synth-repo --root "$WORK/synth2000" --repo example-org/registry
run synth-norepo --root "$WORK/synth2000"
run shipped --root "$CODE" --repo example-org/registry
if [ -n "${BIG:-}" ]; then
  [ -d "$WORK/synth10000" ] || "$PY" "$CODE/benchmarks/synth.py" "$WORK/synth10000" --entries 10000 >/dev/null
  run s10k --root "$WORK/synth10000" --repo example-org/registry
fi
exit 0
