# `tend inspect FILE.safetensors` interactive screen: a `tend train` checkpoint opens at once, the scan
# completes, the threshold moves, `w` writes the pruned file, `tend inspect --json` confirms its sparsity
# (zeros equal the original's count below the written τ), and `q` restores the terminal.
echo "e2e: inspect (120x40)"
"$TEND" train --epochs 1 --out "$WORK/inspect-train" >/dev/null 2>&1
CKPT="$WORK/inspect-train/checkpoints/last.safetensors"
if [ -f "$CKPT" ]; then pass "inspect: checkpoint to inspect"; else fail "inspect: tend train wrote no $CKPT"; fi
cp "$CKPT" "$WORK/model.safetensors"
$T kill-server 2>/dev/null
$T -f /dev/null new-session -d -s e2e -x 120 -y 40 \
  "cd '$PWD' && env LANG=C.UTF-8 TERM=xterm-256color '$TEND' inspect '$WORK/model.safetensors'; echo TEND-EXITED-\$?; sleep 60" \
  || fail "inspect: tmux could not start"
check "inspect: tensor table from the header" "fc1.weight" 10
if wait_for_re "scanned [0-9.]+ [KMG]i?B in" 20; then pass "inspect: scan completes"; else fail "inspect: scan did not complete"; fi
check "inspect: histogram of the selected tensor" "|w| of" 5
before=$(screen | grep -oE "prune τ [0-9.e-]+" | head -1)
$T send-keys -t e2e L L l
sleep 0.5
after=$(screen | grep -oE "prune τ [0-9.e-]+" | head -1)
if [ -n "$before" ] && [ "$before" != "$after" ]; then pass "inspect: L/l move the threshold ($before -> $after)"; else fail "inspect: threshold did not move ($before / $after)"; fi
$T send-keys -t e2e '?'
check "inspect: ? lists the keys" "write the candidate file" 5
$T send-keys -t e2e Escape
$T send-keys -t e2e w
check "inspect: w writes the pruned file" "wrote $WORK/model.pruned.safetensors" 20
OUT="$WORK/model.pruned.safetensors"
if [ -f "$OUT" ] && "$TEND" inspect "$OUT" --json > "$WORK/pruned.json" 2>/dev/null; then
  tau=$(python3 -c "import json;print(json.load(open('$WORK/pruned.json'))['metadata']['tend.pruned_below'])")
  "$TEND" inspect "$WORK/model.safetensors" --json --threshold "$tau" > "$WORK/orig.json" 2>/dev/null
  if python3 - "$WORK/orig.json" "$WORK/pruned.json" <<'PY'
import json, sys
orig = {t["name"]: t for t in json.load(open(sys.argv[1]))["tensor_stats"]}
pruned = {t["name"]: t for t in json.load(open(sys.argv[2]))["tensor_stats"]}
ok = True
for name, t in orig.items():
    if t.get("sparsity") is None: continue
    expect = round(t["sparsity"] * t["parameters"])
    got = pruned[name]["zeros"]
    if got != expect: print(f"  {name}: {got} zeros, expected {expect}"); ok = False
total = sum(round(t["sparsity"] * t["parameters"]) for t in orig.values() if t.get("sparsity") is not None)
print(f"  pruned file: {total} weights below tau {json.load(open(sys.argv[2]))['metadata']['tend.pruned_below']} are zero")
sys.exit(0 if ok and total > 0 else 1)
PY
  then pass "inspect: written file has the expected zeros"; else fail "inspect: written file's zeros differ from the count below tau"; fi
else
  fail "inspect: no readable $OUT"
fi
$T send-keys -t e2e q
check "inspect: q exits 0" "TEND-EXITED-0" 10
check_alt_off "inspect: terminal restored" "inspect: alternate screen still on"
$T kill-server 2>/dev/null
