# Distillation (d): the student trains in the background with its epochs and curves on screen; enter serves it and
# the latency panel names it; quitting is clean. Sourced by ../run.sh.
echo "e2e: distillation (120x40)"
start distill 120 40 "LANG=C.UTF-8 TERM=xterm-256color" --epochs 100000
check "panels appear (distill)" "Loss" 20
check "training (distill)" "training" 20
$T send-keys -t e2e d
check "d opens the distillation screen" "Distillation" 5
check "student and teacher side by side" "64-64-64-10" 10
check "student curves shown" "Validation accuracy" 5
if wait_for_re "epoch ([2-9]|1[0-9]|20)/20|done, 20 epochs" 60; then pass "student epochs progress"; else fail "student epochs do not progress"; fi
check "student latency measured" "agrees with the teacher" 30
# Pause the teacher (space works on this screen) so its epoch events do not scroll the serving event away.
$T send-keys -t e2e space
check "teacher paused from the distillation screen" "paused" 5
$T send-keys -t e2e Enter
check "enter serves the student (event)" "serving the distilled" 10
check "latency panel names the student" "student, " 10
$T send-keys -t e2e d
check "d returns to the running distillation" "serving student" 10
$T send-keys -t e2e '?'
check "help lists u" "serve the teacher again" 5
$T send-keys -t e2e Escape; sleep 0.3
$T send-keys -t e2e u
check "u serves the teacher again" "serving teacher" 10
if wait_for "done, 20 epochs" 60; then
  $T send-keys -t e2e r
  # A quiet machine distils digits' student in well under a second: look for the second student, running or done.
  if wait_for_re "student 2 .*(epoch [0-9]+/20|done, 20 epochs)" 10; then pass "r distils a new student after the first is done"; else fail "r did not restart the distillation"; fi
else
  fail "distillation did not finish in 60 s"
fi
$T send-keys -t e2e Escape; sleep 0.3
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "quits with the student training (distill)" "TEND-EXITED-0" 20
check_alt_off "terminal restored (distill)" "alternate screen still on after exit (distill)"
$T kill-server 2>/dev/null

# Headless: distil the checkpoint written on quit, and read the student back with tend eval.
echo "e2e: tend distill (headless)"
if [ -f "$WORK/distill/checkpoints/last.safetensors" ] \
   && "$TEND" distill --checkpoint "$WORK/distill/checkpoints/last.safetensors" --epochs 3 --lr 3e-3 --latency-samples 50 \
        --out "$WORK/student.safetensors" --json > "$WORK/distill.json" 2>/dev/null \
   && grep -q '"agreement"' "$WORK/distill.json" && grep -q '"latency_p50_us"' "$WORK/distill.json"; then
  pass "tend distill --json prints the comparison"
else
  fail "tend distill --json"
fi
if "$TEND" eval --checkpoint "$WORK/student.safetensors" --data Samples/digits.csv --json 2>/dev/null | grep -q '"accuracy"'; then
  pass "tend eval reads the student"
else
  fail "tend eval cannot read the student"
fi
