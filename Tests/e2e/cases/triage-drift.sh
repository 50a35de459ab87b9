# Data drift: the inference loop serves the drifted copy of the training data (--serve-data); PSI per
# feature against the training data fires the drift alert and the triage screen's drift panel shows the
# worst features live. Serving the validation split (the default) keeps the drift rule quiet.
echo "e2e: triage drift (--serve-data Samples/digits-drift.csv)"
start drift 120 40 "LANG=C.UTF-8" --epochs 100000 --serve-data Samples/digits-drift.csv
check "dashboard up" "training" 20
$T send-keys -t e2e a
check "drift panel on the triage screen" "Drift PSI (served vs training)" 20
check "drift alert listed" "warn drift " 20
if wait_for_re "[1-9][0-9]* of 64 features > 0\.25" 5; then pass "drift panel counts drifted features"; else fail "drift panel counts no drifted feature"; fi
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "quits" "TEND-EXITED-0" 20
if grep -q '"alert fired warning drift: ' "$WORK/drift/metrics.jsonl"; then pass "drift alert logged"; else fail "no drift alert in metrics.jsonl"; fi

echo "e2e: triage drift (serving the validation split)"
start nodrift 120 40 "LANG=C.UTF-8" --epochs 100000
check "dashboard up" "training" 20
$T send-keys -t e2e a
check "drift panel on the triage screen" "Drift PSI (served vs training)" 20
sleep 4
if screen | grep -qF "0 of 64 features > 0.25"; then pass "no drifted feature on the validation split"; else fail "features drifted while serving the validation split"; fi
if screen | grep -qF "warn drift "; then fail "drift alert without drift"; else pass "drift rule quiet"; fi
$T send-keys -t e2e q; sleep 0.5; $T send-keys -t e2e y
check "quits" "TEND-EXITED-0" 20
