#!/bin/sh
# Build the fixed registries with this checkout into NEW and compare with
# GOLDEN (made the same way by the code before the change), byte for byte:
#   sh benchmarks/build_compare.sh GOLDEN NEW
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
sh "$HERE/benchmarks/build_equiv.sh" "$HERE" "$2"
for d in "$1"/*; do
  n=$(basename "$d"); [ -e "$2/$n" ] || continue
  diff -rq "$d" "$2/$n" >/dev/null && continue
  echo "DIFFERENT: $n"; diff -r "$d" "$2/$n" | head -20
done
echo compared: $(ls "$2" | grep -c rc) cases
