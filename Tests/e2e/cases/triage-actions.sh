# Triage actions the overfitting alert suggests: `L` raises L2 and training goes on; `e` stops early and
# restores the best weights (the run ends as finished and stays open).
echo "e2e: triage actions (L raise L2, e stop early)"
start actions 120 40 "LANG=C.UTF-8" --epochs 100000
jsonl="$WORK/actions/metrics.jsonl"
check "dashboard up" "training" 20
sleep 3
$T send-keys -t e2e a
check "a opens the triage screen" "Alerts:" 5
$T send-keys -t e2e '?'
check "help lists e" "stop early and restore the best weights" 5
$T send-keys -t e2e Escape
$T send-keys -t e2e L
sleep 2
if grep -qF '"action raise L2: l2 0.0 -> 0.0001 at step' "$jsonl"; then pass "L raises L2 (logged)"; else fail "no raise L2 event in metrics.jsonl"; fi
check "training goes on after L" "training" 5
$T send-keys -t e2e e
check "e ends the run" "finished" 15
sleep 1.5
if grep -qE '"action stop early: restored best weights \(val loss [0-9.]+, epoch [0-9]+\)' "$jsonl"; then pass "e restores the best weights (logged)"; else fail "no stop-early event in metrics.jsonl"; fi
if screen | grep -qF "e stop early"; then fail "e still offered after the run finished"; else pass "e no longer offered once finished"; fi
$T send-keys -t e2e q
check "quits" "TEND-EXITED-0" 20
