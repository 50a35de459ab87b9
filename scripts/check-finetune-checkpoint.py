"""Checks that a `tend train --model` checkpoint loads in PyTorch unchanged (not needed by the tests).

    /work/venv/bin/python scripts/check-finetune-checkpoint.py RUN/checkpoints/last [--data Samples/rt_polarity.csv --rows 64]

1. `transformers.AutoModel.from_pretrained(CK)` loads the fine-tuned encoder: every encoder tensor it uses is
   the checkpoint's (no missing keys; `classifier.*` is reported as unused, as for any model with a head).
2. The head is two named tensors: `classifier.weight` [classes, hidden], `classifier.bias` [classes].
3. With --data: PyTorch's logits (mean pooling over the mask, the head; eval mode) on the first --rows texts,
   and, if `tend` is built, the same rows through `tend eval --json`, compared (max |Δp|).
Prints one JSON object on stdout.
"""
import argparse, csv, json, os, subprocess, sys

import torch
from safetensors import safe_open
from transformers import AutoModel, AutoTokenizer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--data")
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--rows", type=int, default=64)
    ap.add_argument("--tend", default=".build/release/tend")
    args = ap.parse_args()
    ck = args.checkpoint
    model, info = AutoModel.from_pretrained(ck, output_loading_info=True, attn_implementation="eager")
    model.eval()
    with safe_open(os.path.join(ck, "model.safetensors"), framework="pt") as f:
        meta = f.metadata()
        names = set(f.keys())
        w, b = f.get_tensor("classifier.weight"), f.get_tensor("classifier.bias")
        # Every encoder tensor PyTorch holds equals the file's (the load used the fine-tuned values).
        state = model.state_dict()
        prefix = "bert." if any(n.startswith("bert.") for n in names) else ""
        compared, worst = 0, 0.0
        for n, t in state.items():
            key = prefix + n
            if key in names:
                worst = max(worst, (t - f.get_tensor(key).to(t.dtype)).abs().max().item())
                compared += 1
    out = {"checkpoint": ck, "missing_keys": sorted(info["missing_keys"]), "unexpected_keys": sorted(info["unexpected_keys"]),
           "encoder_tensors_compared": compared, "max_abs_diff_vs_file": worst,
           "head": {"classifier.weight": list(w.shape), "classifier.bias": list(b.shape)},
           "class_labels": meta.get("class_labels"), "pooling": meta.get("tend.pooling"), "max_length": meta.get("tend.max_length"),
           "step": meta.get("step")}
    if args.data:
        with open(args.data, newline="") as fh:
            rows = [r for _, r in zip(range(args.rows), csv.DictReader(fh))]
        texts = [r[args.text_column] for r in rows]
        tok = AutoTokenizer.from_pretrained(ck)
        enc = tok(texts, padding=True, truncation=True, max_length=int(meta.get("tend.max_length", 128)), return_tensors="pt")
        with torch.no_grad():
            h = model(**enc).last_hidden_state
            m = enc["attention_mask"].unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1) if meta.get("tend.pooling", "mean") == "mean" else h[:, 0]
            probs = torch.softmax(pooled @ w.T + b, dim=-1)
        out["torch_probabilities_first"] = probs[0].tolist()
        if os.path.exists(args.tend):
            import tempfile
            with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as tmp:
                wr = csv.writer(tmp); wr.writerow([args.text_column]); [wr.writerow([t]) for t in texts]
            res = subprocess.run([args.tend, "eval", "--checkpoint", ck, "--data", tmp.name, "--text-column", args.text_column,
                                  "--json"], capture_output=True, text=True, check=True)
            tend = torch.tensor([p["probabilities"] for p in json.loads(res.stdout)["predictions"]])
            out["tend_vs_torch_max_abs_prob_diff"] = (tend - probs).abs().max().item()
            out["argmax_agreement"] = (tend.argmax(1) == probs.argmax(1)).float().mean().item()
            os.unlink(tmp.name)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
