# tend export (optional): the exported .onnx runs in ONNX Runtime with tend's outputs, the torch file loads
# strictly into nn.Sequential / BertModel (scripts/check-export.py). Skipped without a Python venv holding
# onnxruntime and torch (CI has none). Sourced by ../run.sh.
PY="${TEND_EXPORT_PYTHON:-/work/venv/bin/python}"
if [ -x "$PY" ] && "$PY" -c "import onnxruntime, torch, safetensors, onnx" 2>/dev/null; then
  echo "e2e: export (ONNX Runtime and PyTorch)"
  if "$TEND" train --epochs 2 --hidden 32,16 --out "$WORK/export-run" >/dev/null 2>&1; then
    args=(--tend "$TEND" --checkpoint "$WORK/export-run/checkpoints/last.safetensors" --data Samples/digits.csv --work "$WORK/export")
    M="${XDG_CACHE_HOME:-$HOME/.cache}/tend/models/all-MiniLM-L6-v2"
    [ -f "$M/model.safetensors" ] && args+=(--model "$M")
    if out=$("$PY" scripts/check-export.py "${args[@]}" 2>&1); then pass "export matches ONNX Runtime and PyTorch"
    else fail "export check"; echo "$out" | sed 's/^/  | /'; fi
  else fail "export: training the checkpoint failed"; fi
else
  echo "e2e: export skipped ($PY with onnxruntime, torch, onnx and safetensors not available)"
fi
