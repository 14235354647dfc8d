#!/bin/sh
# Build fixed registries with the code in CODE into OUT (one folder per case,
# plus exit status, stdout without the timing, stderr), so that two code
# versions can be compared byte for byte with `diff -r`:
#   sh benchmarks/build_equiv.sh CODE OUT
#   (registries: /tmp/bf-reg = synth.py --entries 2000, /tmp/bf-b10k/registry
#    = build_bench generate 10000; the shipped registry is CODE itself)
set -u
CODE=$1; OUT=$2; PY=${PY:-/work/venv/bin/python}
rm -rf "$OUT"; mkdir -p "$OUT"
run() {
  name=$1; shift
  (cd "$CODE" && "$PY" -m bot build --out "$OUT/$name" --date 2026-01-01 "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr"; echo $? >"$OUT/$name.rc")
  sed -i "s/[0-9.]* s\$/N s/; s|$OUT/|OUT/|g" "$OUT/$name.stdout" "$OUT/$name.stderr"
}
run synth-repo --root /tmp/bf-reg --repo example-org/registry
run synth-norepo --root /tmp/bf-reg
run shipped --root /tmp/bf-old --repo example-org/registry
[ -n "${BIG:-}" ] && run b10k --root /tmp/bf-b10k/registry --repo example-org/registry
[ -n "${BIG:-}" ] && run s10k --root /tmp/bf-s10k --repo example-org/registry
exit 0
