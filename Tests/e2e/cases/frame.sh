# Frame drawing (NCursesBackend diffs its own previous frame; FrameEncoder writes the changes): overlays and
# theme switches leave no stale cells, colour depth limits hold (256, COLORTERM=truecolor, 8), ASCII mode sends only ASCII.

echo "e2e: frame (diffed drawing, 120x40)"
start frame 120 40 "LANG=C.UTF-8 TERM=xterm-256color COLORTERM=" --epochs 100000
check "frame: panels appear" "Loss" 20
$T send-keys -t e2e space
check "frame: paused" "paused" 5
sleep 2.5
before=$(screen)
$T send-keys -t e2e '?'
check "frame: help open" "esc or ? closes" 5
$T send-keys -t e2e Escape
sleep 1
after=$(screen)
# Every panel frame cell (│ ┌ ┐ └ ┘ in the panels' frame columns) drawn before the help must be back after it closes: the overlay's
# cells are rewritten from the diff, not from a full repaint. (Numbers and charts may change meanwhile.)
stale=$(python3 - "$before" "$after" <<'PY'
import sys
a, b = sys.argv[1].splitlines(), sys.argv[2].splitlines()
# Only the panels' own frame columns (from the top row's corners): chart axes inside panels move with their labels.
cols = {x for x, ch in enumerate(a[0]) if ch in "┌┐"} if a else set()
bad = sum(1 for y, line in enumerate(a) for x, ch in enumerate(line)
          if x in cols and ch in "│┌┐└┘" and (y >= len(b) or x >= len(b[y]) or b[y][x] != ch))
print(bad)
PY
)
if echo "$after" | grep -qF "esc or ? closes"; then fail "frame: help text left on screen after closing"
elif [ "$stale" = "0" ]; then pass "frame: closing the help restores every panel border"
else fail "frame: $stale border cells differ after closing the help (stale cells?)"; fi
for i in 1 2 3 4; do $T send-keys -t e2e t; sleep 0.4; done
check "frame: theme cycle redraws" "Loss" 5
if $T capture-pane -p -e -t e2e | grep -qE '\[(3|4)8;5;'; then pass "frame: 256-colour output"; else fail "frame: no 256-colour sequences in 256-colour mode"; fi
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "frame: quits" "TEND-EXITED-0" 20
$T kill-server 2>/dev/null

# colour_case NAME ENVS FLAGS REGEX WANT: the dashboard at 100x30; the pane's colour sequences must (WANT=yes)
# or must not (no) match REGEX.
colour_case() {
  local name=$1 envs=$2 flags=$3 re=$4 want=$5
  echo "e2e: frame ($name, 100x30)"
  start "$name" 100 30 "$envs" --epochs 100000 $flags
  check "$name: panels appear" "Loss" 20
  sleep 1
  if $T capture-pane -p -e -t e2e | grep -qE "$re"; then found=yes; else found=no; fi
  if [ "$found" = "$want" ]; then pass "$name: colour sequences as expected ($re: $want)"
  else fail "$name: colour sequences matching $re: $found, expected $want"; fi
  $T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
  check "$name: quits" "TEND-EXITED-0" 20
  $T kill-server 2>/dev/null
}
colour_case frametc "LANG=C.UTF-8 TERM=xterm-256color COLORTERM=truecolor" "" '\[(3|4)8;2;' yes
colour_case frame8 "LANG=C.UTF-8 TERM=xterm-256color" "--colors 8" '\[(3|4)8;[25];' no

echo "e2e: frame (ASCII locale, 90x28)"
start frameascii 90 28 "LANG=C LC_ALL=C TERM=xterm" --epochs 100000
check "frameascii: panels appear" "Loss" 20
sleep 1
if screen | LC_ALL=C grep -q '[^ -~]'; then fail "frameascii: non-ASCII characters on an ASCII screen"; else pass "frameascii: ASCII only"; fi
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "frameascii: quits" "TEND-EXITED-0" 20
$T kill-server 2>/dev/null
