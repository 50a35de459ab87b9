"""Writes small PyTorch state dicts (safetensors) in the layouts `--weights` accepts, plus torch's outputs.

Run from the repository root: /work/venv/bin/python Tests/TendRuntimeTests/Fixtures/make_torch_layouts.py
One 4-8-5-3 ReLU MLP (seed 0) saved four ways; `reference.json` holds 3 inputs and torch's logits.
"""
import json
import os

import torch
from safetensors.torch import save_file

torch.manual_seed(0)
out = os.path.join(os.path.dirname(__file__), "torch-layouts")
os.makedirs(out, exist_ok=True)

seq = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 5), torch.nn.ReLU(), torch.nn.Linear(5, 3))


class Layers(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.ModuleList([seq[0], seq[2], seq[4]])


class Net(torch.nn.Module):  # an nn.Sequential inside a module: net.0.weight, net.2.weight, ...
    def __init__(self):
        super().__init__()
        self.net = seq


sd = {k: v.contiguous() for k, v in seq.state_dict().items()}
save_file(sd, os.path.join(out, "sequential.safetensors"))
save_file({k: v.contiguous() for k, v in Layers().state_dict().items()}, os.path.join(out, "layers.safetensors"))
save_file({k: v.contiguous() for k, v in Net().state_dict().items()}, os.path.join(out, "net.safetensors"))
# Names no layout reads without help: encoder/head.
custom = {"encoder.in_proj.weight": sd["0.weight"], "encoder.in_proj.bias": sd["0.bias"],
          "encoder.hidden.weight": sd["2.weight"], "encoder.hidden.bias": sd["2.bias"],
          "head.weight": sd["4.weight"], "head.bias": sd["4.bias"]}
save_file({k: v.contiguous() for k, v in custom.items()}, os.path.join(out, "custom.safetensors"))

x = torch.tensor([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0], [-2.0, 0.25, 0.0, 3.0]])
with torch.no_grad():
    y = seq(x)
with open(os.path.join(out, "reference.json"), "w") as f:
    json.dump({"torch": torch.__version__, "arch": "4-8-5-3", "inputs": x.tolist(), "logits": y.tolist()}, f)
print("wrote", sorted(os.listdir(out)))
