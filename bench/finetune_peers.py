"""PyTorch figures for `tend bench finetune`'s two works, on this machine.

    /work/venv/bin/python bench/finetune_peers.py [--model DIR] [--threads 1,2] [--steps N]

Works (the same as `tend bench finetune`): 32 sequences of 64 and of 128 tokens; ids uniform in 1000..29000
with [CLS]/[SEP] at the ends, attention mask all ones. Timed: one full fine-tuning step in train mode
(dropout from config.json): BertModel forward, mean pooling, Linear head (2 classes), cross-entropy,
backward, gradient clipping at norm 1, AdamW (lr 5e-5, weight decay 0.01 on weights and embeddings).
Figure: the median step after one warm-up step; samples/s = 32 / median. One JSON object on stdout.
"""
import argparse, json, os, statistics, sys, time

import numpy as np
import torch
from transformers import AutoModel


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/tend/models/all-MiniLM-L6-v2"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--steps", type=int, default=5)
    args = ap.parse_args()
    out = {}
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        model = AutoModel.from_pretrained(args.model, attn_implementation="eager").train()
        head = torch.nn.Linear(model.config.hidden_size, 2)
        drop = torch.nn.Dropout(model.config.hidden_dropout_prob)
        decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "LayerNorm" in n)] + [head.weight]
        rest = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n] + [head.bias]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=5e-5)
        figures = {}
        for name, (b, l) in {"b32x64": (32, 64), "b32x128": (32, 128)}.items():
            rng = np.random.default_rng(0)
            ids = torch.tensor(rng.integers(1000, 29001, size=(b, l)))
            ids[:, 0] = 101
            ids[:, -1] = 102
            mask = torch.ones_like(ids)
            labels = torch.arange(b) % 2
            times = []
            for step in range(args.steps + 1):
                t0 = time.perf_counter()
                h = model(input_ids=ids, attention_mask=mask).last_hidden_state
                m = mask.unsqueeze(-1).to(h.dtype)
                pooled = (h * m).sum(1) / m.sum(1)
                loss = torch.nn.functional.cross_entropy(head(drop(pooled)), labels)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(list(model.parameters()) + list(head.parameters()), 1.0)
                opt.step()
                if step > 0:
                    times.append(time.perf_counter() - t0)
            med = statistics.median(times)
            figures[name] = {"samples_per_s": b / med, "step_ms": med * 1e3}
            log(f"PyTorch {torch.__version__} threads {threads} {name}: {b / med:.2f} samples/s ({med * 1e3:.0f} ms/step)")
        out[str(threads)] = figures
    print(json.dumps({"torch": torch.__version__, "threads": out}))


if __name__ == "__main__":
    main()
