"""PyTorch's samples/s fine-tuning on real texts, the work `tend train --model` does (for side-by-side figures).

    /work/venv/bin/python bench/finetune_text_peers.py [--data Samples/rt_polarity.csv] [--rows 1400] [--threads 1,2]

Work: --rows texts drawn (seed 0) from the CSV, tokenized with the model's tokenizer (max length 128), batches of
32 bucketed by length as Tend does (pools of 50 batches sorted by length, dynamic padding), one pass in train
mode: BertModel forward, mean pooling, dropout, Linear head, cross-entropy, backward, clipping at norm 1, AdamW
(lr 5e-5, weight decay 0.01 on weights/embeddings) with linear warm-up 10% then decay. Timed: the steps only.
One JSON object on stdout: per thread count samples/s and tokens/s.
"""
import argparse, csv, json, os, random, sys, time

import torch
from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/tend/models/all-MiniLM-L6-v2"))
    ap.add_argument("--data", default="Samples/rt_polarity.csv")
    ap.add_argument("--rows", type=int, default=1400)
    ap.add_argument("--threads", default="1,2")
    args = ap.parse_args()
    with open(args.data, newline="") as f:
        rows = list(csv.DictReader(f))
    random.seed(0)
    rows = random.sample(rows, min(args.rows, len(rows)))
    tok = AutoTokenizer.from_pretrained(args.model)
    enc = [tok(r["text"], truncation=True, max_length=128)["input_ids"] for r in rows]
    labels = [int(r["label"]) for r in rows]
    order = list(range(len(rows)))
    random.shuffle(order)
    batches = []
    for s in range(0, len(order), 32 * 50):
        pool = sorted(order[s:s + 32 * 50], key=lambda i: len(enc[i]))
        batches += [pool[i:i + 32] for i in range(0, len(pool), 32)]
    random.shuffle(batches)
    out = {"rows": len(rows), "mean_tokens": sum(map(len, enc)) / len(enc), "torch": torch.__version__}
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        model = AutoModel.from_pretrained(args.model, attn_implementation="eager").train()
        head = torch.nn.Linear(model.config.hidden_size, 2)
        drop = torch.nn.Dropout(model.config.hidden_dropout_prob)
        decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "LayerNorm" in n)] + [head.weight]
        rest = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n] + [head.bias]
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=5e-5)
        sched = get_linear_schedule_with_warmup(opt, int(0.1 * len(batches) + 0.999), len(batches))
        seconds, samples, tokens = 0.0, 0, 0
        for b in batches:
            L = max(len(enc[i]) for i in b)
            ids = torch.tensor([enc[i] + [0] * (L - len(enc[i])) for i in b])
            mask = torch.tensor([[1] * len(enc[i]) + [0] * (L - len(enc[i])) for i in b])
            y = torch.tensor([labels[i] for i in b])
            t0 = time.perf_counter()
            h = model(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            loss = torch.nn.functional.cross_entropy(head(drop((h * m).sum(1) / m.sum(1))), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(model.parameters()) + list(head.parameters()), 1.0)
            opt.step(); sched.step()
            seconds += time.perf_counter() - t0
            samples += len(b); tokens += int(mask.sum())
        out[f"threads_{threads}"] = {"samples_per_s": samples / seconds, "tokens_per_s": tokens / seconds, "seconds": seconds}
        print(json.dumps(out), file=sys.stderr, flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
