"""PyTorch and ONNX Runtime figures for `tend bench encoder`'s two works, on this machine.

    /work/venv/bin/python bench/encoder_peers.py [--model DIR] [--threads 1,2] [--repeats N] [--int8]

Works (the same as `tend bench encoder`): `b1x22` (one sequence of 22 tokens) and `b32x128` (32 sequences
of 128 tokens); token ids uniform in 1000..29000 (seed 0) with [CLS]/[SEP] at the ends, attention mask all
ones, token type ids 0. Timed: the encoder forward plus mean pooling over the mask, fp32, inference mode.
Figure: the median of `--repeats` timed calls after warm-up, in milliseconds, with the median process CPU
time per call (`cpu_ms`, all threads: like `tend bench encoder`'s, much less inflated by a busy machine).

ONNX Runtime runs a graph exported here (torch.onnx.export, TorchScript exporter, opset 17) of the same
module (encoder + mean pooling), with ORT_ENABLE_ALL graph optimisations (attention/LayerNorm/GELU fusion),
intra-op threads = the thread count, inter-op 1, sequential execution.

With --int8 both engines run dynamic int8 instead (what `tend bench encoder --int8` compares with): PyTorch
`torch.ao.quantization.quantize_dynamic` on every `nn.Linear` (qint8 weights per tensor, activations quantized
per call at run time, the default quantized engine), ONNX Runtime `onnxruntime.quantization.quantize_dynamic`
of the exported graph (QInt8 weights, per tensor; DynamicQuantizeLinear + MatMulInteger). The JSON then has
"precision": "int8" and, per engine, the cosine of the int8 pooled outputs to fp32 on b1x22 (lowest row).

Prints one JSON object on stdout; progress on stderr.
"""
import argparse, json, os, statistics, sys, tempfile, time

import numpy as np
import torch


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class EncoderMean(torch.nn.Module):
    """AutoModel forward + mean pooling over the mask (what the Tend bench times)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return (h * m).sum(1) / m.sum(1).clamp(min=1e-9)


def work(batch, length, cls_id, sep_id, seed=0):
    rng = np.random.default_rng(seed)
    ids = rng.integers(1000, 29001, size=(batch, length), dtype=np.int64)
    ids[:, 0] = cls_id
    ids[:, -1] = sep_id
    return ids, np.ones_like(ids), np.zeros_like(ids)


def median_ms(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    times, cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
        cpu.append((time.process_time() - c) * 1e3)
    return statistics.median(times), min(times), statistics.median(cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                                                    "tend", "models", "all-MiniLM-L6-v2"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeats", type=int, default=0, help="timed calls per work (default 30 for b1x22, 7 for b32x128)")
    ap.add_argument("--engines", default="pytorch,onnxruntime")
    ap.add_argument("--int8", action="store_true", help="dynamic int8 of every linear layer (see the module doc)")
    args = ap.parse_args()

    from transformers import AutoModel, AutoTokenizer
    tok = AutoTokenizer.from_pretrained(args.model)
    model = AutoModel.from_pretrained(args.model, torch_dtype=torch.float32, attn_implementation="eager").eval()
    wrapped = EncoderMean(model).eval()
    fp32_module = wrapped
    if args.int8:
        wrapped = torch.ao.quantization.quantize_dynamic(wrapped, {torch.nn.Linear}, dtype=torch.qint8).eval()
    works = {"b1x22": work(1, 22, tok.cls_token_id, tok.sep_token_id),
             "b32x128": work(32, 128, tok.cls_token_id, tok.sep_token_id)}
    repeats = {"b1x22": args.repeats or 30, "b32x128": args.repeats or 7}
    threads = [int(t) for t in args.threads.split(",")]
    engines = args.engines.split(",")
    out = {"model": args.model, "torch": torch.__version__, "cpu_count": os.cpu_count(),
           "loadavg_start": os.getloadavg()[0], "precision": "int8" if args.int8 else "fp32"}
    if args.int8:
        out["torch_quantized_engine"] = torch.backends.quantized.engine

    def min_row_cosine(a, b):
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        return float(((a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))).min())

    with torch.inference_mode():
        fp32_ref = {name: fp32_module(*(torch.from_numpy(a) for a in w)).numpy() for name, w in works.items() if name == "b1x22"}

    if "pytorch" in engines:
        res = {}
        for n in threads:
            torch.set_num_threads(n)
            row = {}
            for name, (ids, mask, types) in works.items():
                t_ids, t_mask, t_types = (torch.from_numpy(a) for a in (ids, mask, types))
                with torch.inference_mode():
                    med, best, cpu = median_ms(lambda: wrapped(t_ids, t_mask, t_types), repeats[name], 3)
                row[name] = {"ms": round(med, 3), "best_ms": round(best, 3), "cpu_ms": round(cpu, 3)}
                log(f"pytorch      threads {n}  {name:8s} median {med:9.2f} ms  best {best:9.2f} ms")
            res[str(n)] = row
        out["pytorch"] = res
        if args.int8:
            with torch.inference_mode():
                got = wrapped(*(torch.from_numpy(a) for a in works["b1x22"])).numpy()
            out["pytorch_cosine_to_fp32"] = min_row_cosine(got, fp32_ref["b1x22"])

    if "onnxruntime" in engines:
        import onnxruntime as ort
        out["onnxruntime_version"] = ort.__version__
        path = os.path.join(tempfile.mkdtemp(prefix="tend-peers-"), "encoder_mean.onnx")
        ids, mask, types = (torch.from_numpy(a) for a in works["b1x22"])
        with torch.no_grad():
            torch.onnx.export(fp32_module, (ids, mask, types), path, opset_version=17, dynamo=False,
                              input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["pooled"],
                              dynamic_axes={k: {0: "batch", 1: "length"} for k in ("input_ids", "attention_mask", "token_type_ids")})
        if args.int8:
            from onnxruntime.quantization import QuantType, quantize_dynamic
            qpath = path.replace(".onnx", ".int8.onnx")
            quantize_dynamic(path, qpath, weight_type=QuantType.QInt8)
            path = qpath
        res = {}
        for n in threads:
            so = ort.SessionOptions()
            so.intra_op_num_threads = n
            so.inter_op_num_threads = 1
            so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
            row = {}
            for name, (ids, mask, types) in works.items():
                feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
                med, best, cpu = median_ms(lambda: sess.run(None, feed), repeats[name], 3)
                row[name] = {"ms": round(med, 3), "best_ms": round(best, 3), "cpu_ms": round(cpu, 3)}
                log(f"onnxruntime  threads {n}  {name:8s} median {med:9.2f} ms  best {best:9.2f} ms")
            res[str(n)] = row
            # The check that both engines compute the same thing: pooled outputs agree.
        feed = {"input_ids": works["b1x22"][0], "attention_mask": works["b1x22"][1], "token_type_ids": works["b1x22"][2]}
        if args.int8:
            out["onnxruntime_cosine_to_fp32"] = min_row_cosine(sess.run(None, feed)[0], fp32_ref["b1x22"])
        else:
            out["onnx_vs_torch_max_abs"] = float(np.abs(sess.run(None, feed)[0] - fp32_ref["b1x22"]).max())
        out["onnxruntime"] = res

    out["loadavg_end"] = os.getloadavg()[0]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
