#!/usr/bin/env bash
# Whole-run cost of tend train's run files (metrics.jsonl, event file, checkpoints) between two binaries:
# the same headless run (digits, --epochs E) alternately with BEFORE and AFTER, R repeats, best wall time
# and best process CPU time of each, and their ratio AFTER/BEFORE.
# Usage: scripts/train-overhead.sh BEFORE AFTER [R=7] [E=100] [extra tend train flags...]
set -uo pipefail
cd "$(dirname "$0")/.."
BEFORE=$1; AFTER=$2; R=${3:-7}; E=${4:-100}; shift 4 2>/dev/null || shift $#
EXTRA=("$@")
WORK=$(mktemp -d /tmp/tend-overhead.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
best() { sort -g | head -1; }
run() {  # run BIN TAG I: prints "wall cpu"
  local out="$WORK/$2-$3"
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$1" train --epochs "$E" --out "$out" --quiet --json "${EXTRA[@]}" >/dev/null 2>&1
  awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$WORK/time"
  rm -rf "$out"
}
: >"$WORK/b"; : >"$WORK/a"
for i in $(seq 1 "$R"); do
  if [ $((i % 2)) -eq 0 ]; then run "$BEFORE" b "$i" >>"$WORK/b"; run "$AFTER" a "$i" >>"$WORK/a"
  else run "$AFTER" a "$i" >>"$WORK/a"; run "$BEFORE" b "$i" >>"$WORK/b"; fi
done
bw=$(cut -d' ' -f1 "$WORK/b" | best); aw=$(cut -d' ' -f1 "$WORK/a" | best)
bc=$(cut -d' ' -f2 "$WORK/b" | best); ac=$(cut -d' ' -f2 "$WORK/a" | best)
awk -v bw="$bw" -v aw="$aw" -v bc="$bc" -v ac="$ac" -v r="$R" -v e="$E" 'BEGIN {
  printf "tend train, %d epochs, best of %d: wall %.2f s -> %.2f s (ratio %.3f); cpu %.2f s -> %.2f s (ratio %.3f)\n",
         e, r, bw, aw, aw / bw, bc, ac, ac / bc }'
