"""Writes the BERT encoder numerics fixtures (run once; the outputs are committed so tests need no Python).

    /work/venv/bin/python Tests/TendInteropTests/Fixtures/make_bert_fixture.py [MINILM_DIR]

Outputs in Tests/TendInteropTests/Fixtures/bert/:
  tiny-bert/             a random 2-layer BERT (hidden 32, 4 heads, FFN 64, vocab 128) as a Hugging Face
                         directory: config.json, model.safetensors (with the `bert.` prefix, as BertForMaskedLM
                         checkpoints name them), vocab.txt, modules.json + 1_Pooling/config.json (mean) + Normalize
  tiny-bert-reference.safetensors   input_ids, token_type_ids, attention_mask [B, L] (F32), last_hidden_state
                         [B, L, 32], pooled [B, 32] (mean over the mask, L2-normalised) from transformers fp32
  minilm-reference.safetensors      the same for all-MiniLM-L6-v2 on four short texts (ids from its tokenizer,
                         padded to the longest); MINILM_DIR defaults to ~/.cache/tend/models/all-MiniLM-L6-v2
"""
import json, os, sys
import numpy as np
import torch
from safetensors.torch import save_file
from transformers import AutoModel, AutoTokenizer, BertConfig, BertModel

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bert")
torch.manual_seed(0)
np.random.seed(0)


def mean_pool_normalised(hidden, mask):
    m = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, p=2, dim=1)


def reference(model, ids, types, mask):
    with torch.no_grad():
        out = model(input_ids=ids, token_type_ids=types, attention_mask=mask).last_hidden_state
    return {
        "input_ids": ids.float().contiguous(), "token_type_ids": types.float().contiguous(),
        "attention_mask": mask.float().contiguous(), "last_hidden_state": out.contiguous(),
        "pooled": mean_pool_normalised(out, mask).contiguous(),
    }


def tiny():
    d = os.path.join(HERE, "tiny-bert")
    os.makedirs(os.path.join(d, "1_Pooling"), exist_ok=True)
    cfg = BertConfig(vocab_size=128, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=64, max_position_embeddings=64, type_vocab_size=2,
                     hidden_act="gelu", layer_norm_eps=1e-12)
    model = BertModel(cfg, add_pooling_layer=False).eval()
    with torch.no_grad():  # livelier than the 0.02 init so that errors would show
        for n, p in model.named_parameters():
            if "LayerNorm" in n:
                p.copy_(1 + 0.1 * torch.randn_like(p) if n.endswith("weight") else 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.2 * torch.randn_like(p))
    save_file({"bert." + k: v.contiguous() for k, v in model.state_dict().items()},
              os.path.join(d, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(d, "config.json"), "w") as f:
        c = cfg.to_dict(); c["architectures"] = ["BertModel"]; c["model_type"] = "bert"
        json.dump(c, f, indent=2, sort_keys=True)
    with open(os.path.join(d, "vocab.txt"), "w") as f:
        f.write("\n".join(["[PAD]"] + [f"[unused{i}]" for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
                          + [chr(ord("a") + i) for i in range(24)]) + "\n")
    with open(os.path.join(d, "modules.json"), "w") as f:
        json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                   {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                   {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}], f, indent=2)
    with open(os.path.join(d, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": 32, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
                   "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=2)
    # Three sequences padded to 9: lengths 9, 5, 2; second sequence is a pair (type ids 1 on its second part).
    lengths = [9, 5, 2]
    L = max(lengths)
    ids = torch.zeros(3, L, dtype=torch.long); types = torch.zeros_like(ids); mask = torch.zeros_like(ids)
    for b, n in enumerate(lengths):
        ids[b, :n] = torch.randint(104, 128, (n,)); ids[b, 0] = 101; ids[b, n - 1] = 102
        mask[b, :n] = 1
    types[1, 3:5] = 1
    save_file(reference(model, ids, types, mask), os.path.join(HERE, "tiny-bert-reference.safetensors"))


def minilm(directory):
    tok = AutoTokenizer.from_pretrained(directory)
    model = AutoModel.from_pretrained(directory).eval()
    texts = ["a gorgeous, witty, seductive movie.", "Hello world!",
             "The café served crème brûlée at 9:30pm.", "it's not a bad film at all"]
    enc = tok(texts, padding=True, return_tensors="pt")
    save_file(reference(model, enc["input_ids"], enc["token_type_ids"], enc["attention_mask"]),
              os.path.join(HERE, "minilm-reference.safetensors"), metadata={"texts": json.dumps(texts)})


tiny()
minilm(sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/tend/models/all-MiniLM-L6-v2"))
print("wrote", sorted(os.listdir(HERE)))
