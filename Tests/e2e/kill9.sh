#!/usr/bin/env bash
# kill -9 during training, N times at random moments, and check what an operator relies on:
#   every checkpoint left loads (tend eval), no *.tmp-PID file survives a resume, metrics.jsonl and the
#   TensorBoard event file reach the newest checkpoint's epoch, the run resumes from it and marks the gap.
# Usage: Tests/e2e/kill9.sh [N=20] [TEND=.build/release/tend]. Needs only bash, awk, grep.
set -uo pipefail
cd "$(dirname "$0")/../.."
N=${1:-20}
TEND=${2:-$PWD/.build/release/tend}
WORK=$(mktemp -d /tmp/tend-kill9.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "  FAIL run $1: $2"; failures=$((failures + 1)); }

for i in $(seq 1 "$N"); do
  run="$WORK/run-$i"
  "$TEND" train --epochs 400 --hidden 256,256 --out "$run" --quiet >/dev/null 2>"$WORK/err-$i" &
  pid=$!
  # A random moment between 0.3 and 3.3 s.
  delay=$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.3 + rand() * 3 }')
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  ck="$run/checkpoints"
  newest=$(ls "$ck" 2>/dev/null | grep -E '^epoch-[0-9]{4}\.safetensors$' | sort | tail -1)
  temps=$(ls "$ck" 2>/dev/null | grep -c '\.tmp-' || true)
  if [ -z "$newest" ]; then echo "  run $i: killed at ${delay}s before the first checkpoint"; continue; fi
  epoch=$((10#$(echo "$newest" | sed -E 's/epoch-([0-9]{4}).*/\1/')))
  # Every checkpoint left loads and evaluates.
  for f in "$ck"/*.safetensors; do
    case "$f" in *.optimizer.safetensors) continue ;; esac
    "$TEND" eval --checkpoint "$f" --data Samples/digits.csv --rows 0:50 --json >/dev/null 2>"$WORK/eval-err" \
      || fail "$i" "$(basename "$f") does not load: $(tail -1 "$WORK/eval-err")"
  done
  # metrics.jsonl: whole lines, and validation points up to the newest checkpoint's epoch.
  m="$run/metrics.jsonl"
  val_epoch=$(grep -F '"tag":"val/loss"' "$m" 2>/dev/null | sed -E 's/.*"epoch":([0-9]+).*/\1/' | sort -n | tail -1)
  [ -n "$val_epoch" ] && [ "$val_epoch" -ge "$epoch" ] || fail "$i" "metrics.jsonl reaches epoch ${val_epoch:-none}, newest checkpoint is epoch $epoch"
  [ -z "$(tail -c 1 "$m")" ] || fail "$i" "metrics.jsonl ends in a partial line"
  # The event file: one val/loss scalar per epoch done, at least up to the checkpoint.
  ev=$(ls "$run"/events.out.tfevents.* | head -1)
  val_events=$(grep -a -o 'val/loss' "$ev" | wc -l)
  [ "$val_events" -ge $((epoch + 1)) ] || fail "$i" "event file has $val_events val/loss points, newest checkpoint is epoch $epoch"
  # Resume from the newest checkpoint: no temp file afterwards, the same files continued, the gap marked.
  "$TEND" train --resume "$ck/$newest" --epochs $((epoch + 2)) --quiet >/dev/null 2>"$WORK/resume-err" \
    || fail "$i" "resume from $newest failed: $(tail -1 "$WORK/resume-err")"
  ls "$ck" | grep -q '\.tmp-' && fail "$i" "temporary file left after resume: $(ls "$ck" | grep '\.tmp-')"
  [ "$(ls "$run"/events.out.tfevents.* | wc -l)" -eq 1 ] || fail "$i" "resume started a second event file"
  grep -qF "\"resumed_from_epoch\":$epoch" "$m" || fail "$i" "metrics.jsonl does not mark the resume from epoch $epoch"
  echo "  run $i: killed at ${delay}s, newest checkpoint epoch $epoch, metrics to epoch $val_epoch, events $val_events val points, temp files at kill $temps; resumed"
done
if [ "$failures" -eq 0 ]; then echo "kill9: $N runs, all checks passed"; else echo "kill9: $failures failures in $N runs"; exit 1; fi
