# Triage rollback: training with an absurd learning rate raises the NaN alert, pauses, the triage screen
# shows it (naming the offending layer), `b` rolls back to the last good checkpoint with the learning
# rate backed off (x0.1, --rollback-lr-factor) and training resumes healthy.
echo "e2e: triage rollback (sgd lr 5 -> NaN -> b -> lr 0.5, healthy)"
start rollback 120 40 "LANG=C.UTF-8" --epochs 100000 --lr 5 --optimizer sgd --momentum 0 --eval-every 5
jsonl="$WORK/rollback/metrics.jsonl"
check "NaN loss pauses training" "paused" 30
check "badge counts the critical alert" "1 critical" 10
$T send-keys -t e2e a
check "a opens the triage screen" "Alerts:" 5
check "triage lists the numerics alert" "CRIT numerics" 5
# The evidence panel wraps the message: join its lines before matching.
evidence() { screen | sed -n 's/.*││//p' | sed 's/│ *$//' | tr '\n' ' ' | tr -s ' '; }
if evidence | grep -qE "offending layer: fc[0-9]+(\.weight)? \((weights|activations|gradients)"; then
  pass "the alert names the offending layer"
else
  fail "the alert names no layer: $(evidence | grep -oE 'critical: .{0,160}')"
fi
check "the evidence panel offers b" "b roll back to last good checkpoint" 5
$T send-keys -t e2e b
check "b resumes training" "training" 10
sleep 1.5
if grep -qE '"action rollback: restored [^"]*initial[^"]*learning rate 5(\.0)? -> 0\.5 \(x0\.1 after numerics\); resuming' "$jsonl"; then
  pass "rollback logged with the learning-rate back-off"
else
  fail "no rollback event with the lr back-off in metrics.jsonl: $(grep -o '"action rollback[^"]*' "$jsonl" | head -2)"
fi
epoch_of() {   # the status line's epoch; retried while a capture catches a redraw
  local e="" i
  for i in 1 2 3 4 5; do e=$(screen | grep -oE " (ep|epoch) [0-9,]+ " | tail -1 | tr -cd '0-9'); [ -n "$e" ] && break; sleep 0.3; done
  echo "$e"
}
e1=$(epoch_of)
sleep 6
e2=$(epoch_of)
if [ -n "$e1" ] && [ -n "$e2" ] && [ "$e2" -gt "$e1" ]; then pass "epochs advance after rollback ($e1 -> $e2)"; else fail "epochs did not advance after rollback ($e1 -> $e2): $(screen | tail -1)"; fi
if screen | grep -qF "training"; then pass "still training 6 s after rollback"; else fail "not training 6 s after rollback"; fi
fired=$(grep -c '"alert fired critical numerics' "$jsonl")
if [ "$fired" -eq 1 ]; then pass "no new NaN alert after rollback"; else fail "numerics fired $fired times"; fi
# Losses recorded after the rollback event are finite (metrics.jsonl writes NaN as a string or null).
after=$(awk '/action rollback: restored/ {seen=1; next} seen && /"train\/loss"/' "$jsonl")
finite=$(printf '%s\n' "$after" | grep -cE '"value":-?[0-9]')
bad=$(printf '%s\n' "$after" | grep -ciE '"value":("?nan|"?-?inf|null)')
if [ "$finite" -gt 20 ] && [ "$bad" -eq 0 ]; then pass "loss finite after rollback ($finite points)"; else fail "loss after rollback: $finite finite, $bad non-finite"; fi
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "quits" "TEND-EXITED-0" 20
