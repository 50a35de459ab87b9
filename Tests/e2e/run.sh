#!/usr/bin/env bash
# End-to-end test of the dashboard in a real terminal (tmux): starts `tend`, presses keys, reads the screen.
# Run by `make test` after the unit tests; needs a release build (.build/release/tend) and tmux.
set -uo pipefail
cd "$(dirname "$0")/../.."
TEND="$PWD/.build/release/tend"
WORK=$(mktemp -d /tmp/tend-e2e.XXXXXX)
SOCK="tend-e2e-$$"
T="tmux -L $SOCK"
failures=0
passes=0
trap '$T kill-server 2>/dev/null; rm -rf "$WORK"' EXIT

pass() { echo "  ok   $1"; passes=$((passes + 1)); }
fail() { echo "  FAIL $1"; failures=$((failures + 1)); echo "----- screen -----"; $T capture-pane -p -t e2e 2>/dev/null | sed 's/^/  | /'; echo "------------------"; }
screen() { $T capture-pane -p -t e2e; }
# wait_for TEXT SECONDS: polls the screen until TEXT shows (fixed string).
wait_for() {
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    screen | grep -qF -- "$1" && return 0
    sleep 0.3
  done
  return 1
}
# start NAME W H ENV ARGS...: a fresh tmux server with tend in it.
start() {
  local name=$1 w=$2 h=$3 envs=$4; shift 4
  $T kill-server 2>/dev/null
  local tries=0
  while $T has-session -t e2e 2>/dev/null && [ $tries -lt 20 ]; do sleep 0.2; tries=$((tries + 1)); done
  $T -f /dev/null new-session -d -s e2e -x "$w" -y "$h" \
    "cd '$PWD' && env $envs '$TEND' dashboard $* --out '$WORK/$name'; echo TEND-EXITED-\$?; sleep 60" \
    || { fail "tmux could not start ($name)"; return 1; }
}
# wait_for_re REGEX SECONDS: like wait_for with an extended regular expression.
wait_for_re() {
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    screen | grep -qE -- "$1" && return 0
    sleep 0.3
  done
  return 1
}
check() { if wait_for "$2" "${3:-10}"; then pass "$1"; else fail "$1 (no \"$2\" on screen)"; fi; }
# check_alt_off PASS FAIL: the program has left the alternate screen (the terminal is restored).
check_alt_off() {
  if [ "$($T display -p -t e2e '#{alternate_on}')" = "0" ]; then pass "$1"; else fail "$2"; fi
}

run_case() {
  local name=$1 width=$2 height=$3 envs=$4
  echo "e2e: $name (${width}x${height}, $envs)"
  start "$name" "$width" "$height" "$envs" --epochs 100000 --eval-every 10
  check "panels appear" "Loss" 20
  check "training state shows" "training" 20
  sleep 2
  local a b
  a=$(screen)
  sleep 2.5
  b=$(screen)
  if [ "$a" != "$b" ]; then pass "numbers change between captures"; else fail "screen did not change in 2.5 s"; fi
  $T send-keys -t e2e space
  check "space pauses" "paused" 5
  $T send-keys -t e2e space
  check "space resumes" "training" 5
  $T send-keys -t e2e '?'
  check "? opens the help" "esc or ? closes" 5
  $T send-keys -t e2e Escape
  sleep 0.5
  if screen | grep -qF "esc or ? closes"; then fail "esc closes the help"; else pass "esc closes the help"; fi
  $T send-keys -t e2e q
  check "q asks to confirm" "y: stop and quit" 5
  $T send-keys -t e2e y
  check "confirmed quit exits 0" "TEND-EXITED-0" 20
  if [ -f "$WORK/$name/checkpoints/last.safetensors" ]; then pass "checkpoint written on quit"; else fail "no checkpoints/last.safetensors after quit"; fi
  check_alt_off "terminal restored (alternate screen off)" "alternate screen still on after exit"
  $T kill-server 2>/dev/null
}

run_case utf8-120x40 120 40 "LANG=C.UTF-8 TERM=xterm-256color"
run_case ascii-80x24 80 24 "LANG=C LC_ALL=C TERM=xterm"

# Signals: SIGTERM and SIGHUP (a dropped SSH connection) write a checkpoint and restore the terminal.
for sig in TERM HUP; do
  case $sig in TERM) code=143;; HUP) code=129;; esac
  echo "e2e: SIG$sig"
  start "sig$sig" 100 30 "LANG=C.UTF-8" --epochs 100000
  check "dashboard up" "training" 20
  pid=$(pgrep -f "^$TEND dashboard --epochs 100000 --out $WORK/sig$sig" | head -1)
  if [ -n "$pid" ]; then kill -$sig "$pid"; else fail "could not find the tend process"; fi
  check "SIG$sig exits with 128+signal ($code)" "TEND-EXITED-$code" 20
  if [ -f "$WORK/sig$sig/checkpoints/last.safetensors" ]; then pass "SIG$sig wrote a checkpoint"; else fail "SIG$sig left no checkpoint"; fi
  check_alt_off "terminal restored after SIG$sig" "alternate screen still on after SIG$sig"
  $T kill-server 2>/dev/null
done

# Too small, then enlarged.
echo "e2e: resize"
start small 60 20 "LANG=C.UTF-8" --epochs 100000
check "too-small screen" "terminal too small" 20
$T resize-window -t e2e -x 100 -y 30 2>/dev/null || $T resize-pane -t e2e -x 100 -y 30
check "recovers when enlarged" "Loss" 10
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "quits" "TEND-EXITED-0" 20
$T kill-server 2>/dev/null

# Triage: an absurd learning rate makes the loss NaN: a critical alert fires, training pauses by itself,
# the badge shows it, `a` lists it on the triage screen, `b` asks for a rollback (logged either way).
echo "e2e: triage (NaN loss)"
start nan 120 40 "LANG=C.UTF-8" --epochs 100000 --lr 1e6 --optimizer sgd --eval-every 5
check "NaN loss pauses training" "paused" 30
check "badge counts the critical alert" "1 critical" 10
$T send-keys -t e2e a
check "a opens the triage screen" "Alerts:" 5
check "triage lists the numerics alert" "numerics" 5
$T send-keys -t e2e b
sleep 1
$T send-keys -t e2e Escape
check "esc returns to the dashboard" "Loss" 5
# With lr 1e6 (x0.1 after rollback is still absurd) training NaNs again at once, so read the log, not the screen.
sleep 1.5
if grep -qF '"action rollback: restored' "$WORK/nan/metrics.jsonl"; then pass "rollback is logged"; else fail "no rollback event in metrics.jsonl"; fi
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "quits" "TEND-EXITED-0" 20
$T kill-server 2>/dev/null

# Fairness: credit.csv with its biased group column fires the fairness alert (badge) and fills the panel.
echo "e2e: triage (fairness)"
start fair 120 40 "LANG=C.UTF-8" --data Samples/credit.csv --label approved --sensitive group --epochs 100000
check "fairness alert shows on the badge" " warning  space" 40
$T send-keys -t e2e a
check "fairness panel on the triage screen" "Fairness" 5
check "fairness alert listed" "warn fairness." 5
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "quits" "TEND-EXITED-0" 20
$T kill-server 2>/dev/null

# Compression screens: what-if pruning (x) moves τ and commits; quantization (z) switches serving to int8.
echo "e2e: compression screens"
start compress 120 40 "LANG=C.UTF-8 TERM=xterm-256color" --epochs 100000 --eval-every 10
check "dashboard up" "training" 20
sleep 2
# Pause so epoch events (many per second in a release build) do not scroll the commit's event away.
$T send-keys -t e2e space
check "paused for the compression checks" "paused" 5
$T send-keys -t e2e x
check "x opens the what-if screen" "What-if pruning" 5
check "first preview arrives" "val acc" 10
before=$(screen | grep -oE "sparsity [0-9.]+%" | head -1)
for _ in 1 2 3 4; do $T send-keys -t e2e Right; sleep 0.2; done
check "threshold moved" "τ 0.0200" 5
sleep 1.5
after=$(screen | grep -oE "sparsity [0-9.]+%" | head -1)
if [ -n "$after" ] && [ "$before" != "$after" ]; then pass "sparsity figure changes ($before -> $after)"; else fail "sparsity did not change ($before -> $after)"; fi
if screen | grep -qE "val acc  [0-9.]+ \([+-][0-9.]+\)"; then pass "accuracy and delta shown"; else fail "no accuracy/delta"; fi
$T send-keys -t e2e Enter
check "enter commits (event logged)" "pruned (" 10
if wait_for_re "fc1 +[0-9]+[x×][0-9]+ +[0-9,]+ +([1-9][0-9]?\.[0-9]|0\.[1-9])%" 5; then pass "layers panel shows sparsity > 0%"; else fail "layers panel sparsity still 0%"; fi
$T send-keys -t e2e z
check "z opens the quantization screen" "Quantization int8" 5
check "quantization preview arrives" "agreement" 15
$T send-keys -t e2e Enter
check "enter serves int8 (event)" "quantized int8" 15
check "latency panel names int8" "int8, " 5
$T send-keys -t e2e space
check "training resumes on the pruned weights" "training" 5
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "quits" "TEND-EXITED-0" 20
$T kill-server 2>/dev/null

# Feature cases live in Tests/e2e/cases/*.sh (sourced in name order; they use start/check/screen/pass/fail above).
for case_file in Tests/e2e/cases/*.sh; do
  [ -f "$case_file" ] || continue
  echo "-- $(basename "$case_file")"
  # shellcheck source=/dev/null
  . "$case_file"
  $T kill-server 2>/dev/null
done

echo "e2e: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
