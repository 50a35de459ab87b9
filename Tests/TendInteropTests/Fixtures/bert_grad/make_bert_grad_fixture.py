"""Writes the BERT fine-tuning gradient fixture (run once; the output is committed so tests need no Python).

    /work/venv/bin/python Tests/TendInteropTests/Fixtures/bert_grad/make_bert_grad_fixture.py

Output: tiny-bert-grad.safetensors beside this script, all F32:
  param.<name>   every parameter of a random tiny BERT (2 layers, hidden 32, 4 heads, intermediate 64,
                 vocab 100, 16 positions, 2 token types; Hugging Face names without `bert.`) and of the head
                 (`classifier.weight` [3, 32], `classifier.bias` [3])
  grad.<name>    d loss / d parameter from PyTorch autograd
  input_ids, token_type_ids, attention_mask [3, 8]; labels [3]; logits [3, 3]; loss [1]
metadata: "config" (the BertConfig as JSON). The model: transformers BertModel (eager attention, eval mode so
no dropout), mean pooling over the mask, Linear head, cross-entropy (mean over the batch). The reference runs
in float64 on the float32 weights (the stored values), so it is exact to float32 rounding.
"""
import json, os
import torch
from safetensors.torch import save_file
from transformers import BertConfig, BertModel

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny-bert-grad.safetensors")
torch.manual_seed(14)

cfg = BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=64, max_position_embeddings=16, type_vocab_size=2, hidden_act="gelu",
                 layer_norm_eps=1e-12, hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
                 attn_implementation="eager")
model = BertModel(cfg, add_pooling_layer=False)
head = torch.nn.Linear(32, 3)
with torch.no_grad():  # livelier than the 0.02 init so that errors would show
    for n, p in model.named_parameters():
        if "LayerNorm" in n:
            p.copy_(1 + 0.1 * torch.randn_like(p) if n.endswith("weight") else 0.1 * torch.randn_like(p))
        else:
            p.copy_(0.2 * torch.randn_like(p))
    head.weight.copy_(0.3 * torch.randn_like(head.weight))
    head.bias.copy_(0.1 * torch.randn_like(head.bias))
params32 = {n: p.detach().clone().contiguous() for n, p in model.named_parameters()}
params32["classifier.weight"] = head.weight.detach().clone().contiguous()
params32["classifier.bias"] = head.bias.detach().clone().contiguous()

# Two padded sequences and a full-length pair (token types 0 then 1); [CLS]=2, [SEP]=3.
ids = torch.tensor([[2, 17, 45, 88, 3, 0, 0, 0],
                    [2, 61, 9, 3, 0, 0, 0, 0],
                    [2, 33, 71, 3, 52, 99, 14, 3]])
types = torch.tensor([[0] * 8, [0] * 8, [0, 0, 0, 0, 1, 1, 1, 1]])
mask = torch.tensor([[1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0], [1] * 8])
labels = torch.tensor([2, 0, 1])

model = model.double().eval()
head = head.double()
hidden = model(input_ids=ids, token_type_ids=types, attention_mask=mask).last_hidden_state
m = mask.unsqueeze(-1).double()
pooled = (hidden * m).sum(1) / m.sum(1)
logits = head(pooled)
loss = torch.nn.functional.cross_entropy(logits, labels)
loss.backward()

grads = {n: p.grad for n, p in model.named_parameters()}
grads["classifier.weight"] = head.weight.grad
grads["classifier.bias"] = head.bias.grad
out = {}
for n, p in params32.items():
    out["param." + n] = p.float().contiguous()
    g = grads[n] if grads[n] is not None else torch.zeros_like(p, dtype=torch.float64)
    out["grad." + n] = g.float().contiguous()
out.update({"input_ids": ids.float(), "token_type_ids": types.float(), "attention_mask": mask.float(),
            "labels": labels.float(), "logits": logits.detach().float().contiguous(),
            "loss": loss.detach().float().reshape(1)})
c = {k: cfg.to_dict()[k] for k in ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                                    "intermediate_size", "max_position_embeddings", "type_vocab_size",
                                    "hidden_act", "layer_norm_eps", "hidden_dropout_prob",
                                    "attention_probs_dropout_prob"]}
save_file(out, OUT, metadata={"config": json.dumps(c, sort_keys=True), "loss": repr(loss.item())})
print(f"wrote {OUT}: {len(out)} tensors, loss {loss.item():.6f}, {os.path.getsize(OUT)} bytes")
