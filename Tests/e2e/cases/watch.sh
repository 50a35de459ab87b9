# watch: `tend watch LOGDIR` on a generated logdir (tend sample logdir) — runs listed, charts drawn, the
# corrupt record's warning and the NaN run's badge shown, a run written later appears, `/` filters, `t`
# opens the tag picker, `?` lists the keys, `q` exits 0 and restores the terminal.
watch_case() {
  local name=$1 w=$2 h=$3 envs=$4
  echo "e2e: watch-$name (${w}x${h}, $envs)"
  local dir="$WORK/watch-$name"
  "$TEND" sample logdir --out "$dir" --runs 4 --steps 300 --nan-runs 1 --corrupt 2>/dev/null || { fail "tend sample logdir ($name)"; return 1; }
  $T kill-server 2>/dev/null
  local tries=0
  while $T has-session -t e2e 2>/dev/null && [ $tries -lt 20 ]; do sleep 0.2; tries=$((tries + 1)); done
  $T -f /dev/null new-session -d -s e2e -x "$w" -y "$h" \
    "cd '$PWD' && env $envs '$TEND' watch '$dir' --interval 0.5; echo TEND-EXITED-\$?; sleep 60" \
    || { fail "tmux could not start (watch-$name)"; return 1; }
  check "watch lists the runs" "run0003" 10
  check "watch draws the focused tag's chart" "1 train/loss" 10
  check "every run loaded" "4 runs" 10
  check "the corrupt record is a warning" "record data" 10
  check "the NaN run has a badge" "NaN" 10
  "$TEND" sample logdir --out "$dir" --runs 1 --steps 100 --prefix late 2>/dev/null
  check "a run written later appears" "late0000" 10
  $T send-keys -t e2e /
  $T send-keys -t e2e -l 'late*'
  $T send-keys -t e2e Enter
  check "the filter line shows" "/late*" 5
  sleep 0.5
  if screen | grep -qF "run0001"; then fail "/ filter hides the other runs"; else pass "/ filter hides the other runs"; fi
  $T send-keys -t e2e Escape
  check "esc clears the filter" "run0001" 5
  $T send-keys -t e2e t
  check "t opens the tag picker" "Tag for chart 1" 5
  $T send-keys -t e2e Escape
  $T send-keys -t e2e '?'
  check "? lists the keys" "pick the tag of the focused chart" 5
  $T send-keys -t e2e Escape
  sleep 0.3
  $T send-keys -t e2e q
  check "q exits 0" "TEND-EXITED-0" 10
  check_alt_off "terminal restored after watch (alternate screen off)" "alternate screen still on after watch"
  $T kill-server 2>/dev/null
}

watch_case utf8-120x40 120 40 "LANG=C.UTF-8 TERM=xterm-256color"
watch_case ascii-80x24 80 24 "LANG=C LC_ALL=C TERM=xterm"
