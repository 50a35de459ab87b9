#!/usr/bin/env bash
# tend train on a real full filesystem (a 2 MB tmpfs; skipped when this user cannot mount one): the run stops
# with exit 1 and Tend's own message naming the checkpoint, its size and the intact previous checkpoint;
# metrics.jsonl ends in a whole line; --resume on the full disk fails the same way; the dashboard (in tmux)
# pauses training with a critical alert and the failure in its events panel.
# Usage: Tests/e2e/diskfull.sh [TEND=.build/release/tend]
set -uo pipefail
cd "$(dirname "$0")/../.."
TEND=${1:-$PWD/.build/release/tend}
MNT=$(mktemp -d /tmp/tend-full.XXXXXX)
if ! mount -t tmpfs -o size=2m tmpfs "$MNT" 2>/dev/null; then echo "diskfull: skipped (cannot mount a tmpfs here)"; rmdir "$MNT"; exit 0; fi
ERR=$(mktemp /tmp/tend-full-err.XXXXXX)
trap 'umount "$MNT" || { sleep 2; umount "$MNT"; }; rmdir "$MNT"; rm -f "$ERR"' EXIT
failures=0
fail() { echo "  FAIL $1"; failures=$((failures + 1)); }
run="$MNT/run"
"$TEND" train --epochs 20 --hidden 256,256 --out "$run" --quiet 2>"$ERR"
code=$?
[ "$code" -eq 1 ] || fail "exit code $code, expected 1"
grep -qE "^tend: write failed: $run/checkpoints/epoch-[0-9]{4}(\.optimizer)?\.safetensors: no space left on device \(needed [0-9.]+ [kM]B\); the previous checkpoint epoch-[0-9]{4} is intact$" "$ERR" \
  || fail "no checkpoint message of Tend's own: $(cat "$ERR")"
grep -q "NSCocoaErrorDomain" "$ERR" && fail "a raw Foundation error: $(cat "$ERR")"
[ -z "$(tail -c 1 "$run/metrics.jsonl")" ] || fail "metrics.jsonl ends in a partial line"
ls "$run/checkpoints" | grep -q '\.tmp-' && fail "temporary file left: $(ls "$run/checkpoints")"
newest=$(ls "$run/checkpoints" | grep -E '^epoch-[0-9]{4}\.safetensors$' | sort | tail -1)
"$TEND" eval --checkpoint "$run/checkpoints/$newest" --data Samples/digits.csv --rows 0:20 --json >/dev/null 2>&1 || fail "$newest does not load"
out=$("$TEND" train --resume "$run/checkpoints/$newest" --epochs 30 --quiet --json 2>/dev/null); code=$?
[ "$code" -eq 1 ] || fail "resume on the full disk: exit code $code, expected 1"
echo "$out" | grep -q '"error":{"file":' || fail "resume --json printed no error object: $out"
# stderr itself on the full disk: the messages are lost, the run still ends with exit 1, not a crash.
rm -rf "$run"; "$TEND" train --epochs 20 --hidden 256,256 --out "$run" --quiet 2>"$MNT/stderr"; code=$?
[ "$code" -eq 1 ] || fail "with stderr on the full disk: exit code $code, expected 1"
# The dashboard on the full disk: training pauses, the events panel and the alert count say so.
if command -v tmux >/dev/null; then
  rm -rf "$run"
  T="tmux -L tend-full-$$"
  $T new-session -d -x 120 -y 36 -s d "cd $PWD && $TEND dashboard --epochs 50 --hidden 256,256 --out $run"
  seen=""
  for _ in $(seq 1 60); do
    sleep 0.5
    screen=$($T capture-pane -p -t d 2>/dev/null)
    if echo "$screen" | grep -q "paused at step" && echo "$screen" | grep -q "1 critical"; then seen=yes; break; fi
  done
  [ -n "$seen" ] || fail "dashboard did not pause with a critical alert: $($T capture-pane -p -t d 2>/dev/null | tail -3)"
  echo "$screen" | grep -q "no space" || fail "dashboard events do not name the failed write"
  $T send-keys -t d q
  for _ in $(seq 1 20); do $T has-session -t d 2>/dev/null || break; sleep 0.5; done
  $T kill-server 2>/dev/null; sleep 0.5
fi
if [ "$failures" -eq 0 ]; then echo "diskfull: all checks passed"; else echo "diskfull: $failures failures"; exit 1; fi
