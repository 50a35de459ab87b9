#!/usr/bin/env python3
"""Checks `tend export` against PyTorch and ONNX Runtime (needs torch, onnxruntime, safetensors, numpy).

MLP: exports CHECKPOINT as torch (nn.Sequential names) and onnx, loads the torch file into the nn.Sequential
named in its metadata with load_state_dict(strict=True), runs both on DATA's features and compares their
softmax with `tend eval --rows-json` (max |Δ| ≤ 1e-4). BERT (--model DIR): exports torch and onnx, loads the
torch file into transformers' BertModel(add_pooling_layer=False) strictly, runs the .onnx on `tend embed`'s
token ids and compares sentence_embedding with tend's vectors. Prints one JSON line per check; exit 1 on failure.

usage: check-export.py --tend .build/release/tend --checkpoint CK --data CSV [--label label] [--model DIR] --work DIR
"""
import argparse, json, subprocess, sys, os
import numpy as np

TOL = 1e-4

def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)

def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)

def check_mlp(a, failures):
    import torch, torch.nn as nn, onnxruntime as ort
    from safetensors import safe_open
    from safetensors.torch import load_file
    pt, ox = os.path.join(a.work, "mlp.safetensors"), os.path.join(a.work, "mlp.onnx")
    run([a.tend, "export", "--checkpoint", a.checkpoint, "--format", "torch", "--out", pt, "--json"])
    run([a.tend, "export", "--checkpoint", a.checkpoint, "--format", "onnx", "--out", ox, "--json"])
    ev = run([a.tend, "eval", "--checkpoint", a.checkpoint, "--data", a.data, "--label", a.label, "--rows-json", "--json"])
    rows = ev["row_predictions"]
    tend_p = np.array([r["probabilities"] for r in rows], dtype=np.float64)
    import csv
    with open(a.data) as f:
        reader = csv.reader(f); header = next(reader)
        li = header.index(a.label)
        table = [[float(v) for j, v in enumerate(r) if j != li] for r in reader]
    x = np.array([table[r["row"]] for r in rows], dtype=np.float32)

    with safe_open(pt, "pt") as f: meta = f.metadata()
    module = eval(meta["tend.module"], {"nn": nn})
    result = module.load_state_dict(load_file(pt), strict=True)
    module.eval()
    sess = ort.InferenceSession(ox, providers=["CPUExecutionProvider"])
    logits = sess.run(["logits"], {"features": x})[0].astype(np.float64)
    d_onnx = float(np.abs(softmax(logits) - tend_p).max())
    # The torch module takes normalised features; apply the ONNX graph's normaliser (x' = (x − offset) · factor).
    import onnx
    inits = {t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(ox).graph.initializer}
    xn = (x - inits["normalizer.offset"]) * inits["normalizer.factor"] if "normalizer.offset" in inits else x
    with torch.no_grad(): tl = module(torch.from_numpy(xn)).double().numpy()
    d_torch = float(np.abs(softmax(tl) - tend_p).max())
    for name, d in (("mlp onnx vs tend eval (softmax)", d_onnx), ("mlp torch vs tend eval (softmax)", d_torch)):
        ok = d <= TOL
        print(json.dumps({"check": name, "rows": len(rows), "max_abs_diff": d, "ok": ok}))
        if not ok: failures.append(name)
    print(json.dumps({"check": "mlp torch load_state_dict(strict=True)", "missing": result.missing_keys,
                      "unexpected": result.unexpected_keys, "module": meta["tend.module"], "ok": True}))

def check_bert(a, failures):
    import torch, onnxruntime as ort
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel
    pt, ox = os.path.join(a.work, "bert.safetensors"), os.path.join(a.work, "bert.onnx")
    run([a.tend, "export", "--model", a.model, "--format", "torch", "--out", pt, "--json"])
    run([a.tend, "export", "--model", a.model, "--format", "onnx", "--out", ox, "--json"])
    texts = ["a gorgeous, witty, seductive movie.", "the plot is thin and the acting wooden",
             "short", "an unexpectedly moving story about two brothers who never met"]
    cmd = [a.tend, "embed", "--model", a.model, "--json"]
    for t in texts: cmd += ["--text", t]
    em = run(cmd)
    ids = [it["token_ids"] for it in em["items"]]
    n = max(len(i) for i in ids)
    input_ids = np.zeros((len(ids), n), dtype=np.int64); mask = np.zeros_like(input_ids)
    for r, i in enumerate(ids): input_ids[r, :len(i)] = i; mask[r, :len(i)] = 1
    sess = ort.InferenceSession(ox, providers=["CPUExecutionProvider"])
    hidden, pooled = sess.run(["last_hidden_state", "sentence_embedding"],
                              {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)})
    tend_v = np.array([it["embedding"] for it in em["items"]], dtype=np.float64)
    d = float(np.abs(pooled.astype(np.float64) - tend_v).max())
    ok = d <= TOL
    print(json.dumps({"check": "bert onnx vs tend embed (sentence_embedding)", "texts": len(ids), "max_abs_diff": d, "ok": ok}))
    if not ok: failures.append("bert onnx")
    model = BertModel(BertConfig.from_pretrained(a.model), add_pooling_layer=False).eval()
    result = model.load_state_dict(load_file(pt), strict=True)
    with torch.no_grad():
        h = model(input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(mask)).last_hidden_state.numpy()
    m = mask[..., None].astype(bool)
    dh = float(np.abs(np.where(m, h - hidden, 0)).max())
    ok = dh <= TOL
    print(json.dumps({"check": "bert torch (strict) vs onnx (last_hidden_state, real tokens)", "max_abs_diff": dh,
                      "missing": result.missing_keys, "unexpected": result.unexpected_keys, "ok": ok}))
    if not ok: failures.append("bert torch")

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tend", default=".build/release/tend")
    p.add_argument("--checkpoint"); p.add_argument("--data"); p.add_argument("--label", default="label")
    p.add_argument("--model"); p.add_argument("--work", required=True)
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    failures = []
    if a.checkpoint: check_mlp(a, failures)
    if a.model: check_bert(a, failures)
    if failures: print("FAILED: " + ", ".join(failures), file=sys.stderr); sys.exit(1)

if __name__ == "__main__":
    main()
