"""Loads a Liandan GPT checkpoint (what `deno task gpt:train` writes) into the PyTorch reference model, without any
Liandan code: config.json is read with `json`, model.safetensors with `struct`, `json` and `torch.frombuffer`.

The safetensors layout: 8 bytes of little-endian header length N, N bytes of JSON (name -> dtype, shape,
data_offsets), then the raw little-endian bytes. Linear weights are stored as lib/gpt keeps them, [in, out]; PyTorch's
nn.Linear holds [out, in], so they are transposed on the way in. The model is gpt_step.py's GPT (nanoGPT's, with
GPT-2's tanh GELU and a tied head), run in float64 so that only Liandan's float32 rounding shows in a comparison.

Usage: /usr/bin/python3 bench/reference/read_safetensors.py CKPT_DIR [--ids 1,2,3]
Prints one JSON object: {"logits": [[...], ...] (one row of vocabSize logits per input position), "params": N,
"tensors": N, "torch": "..."}.
"""
import argparse
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt_logits import torch_param  # noqa: E402  (lib/gpt name -> PyTorch parameter)
from gpt_step import GPT  # noqa: E402

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
          "BOOL": torch.bool}


def read_safetensors(path):
    """The tensors of a safetensors file by name, and its __metadata__."""
    if sys.byteorder != "little":
        raise SystemExit("read_safetensors.py reads little-endian bytes in place: run it on a little-endian machine")
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise SystemExit(f"{path}: header length {n} runs past the end of the file ({len(data)} bytes)")
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    body = data[8 + n:]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype, shape = DTYPES[info["dtype"]], info["shape"]
        if end == begin:  # torch.frombuffer refuses an empty buffer
            tensors[name] = torch.zeros(shape, dtype=dtype)
        else:
            tensors[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype).reshape(shape)
    return tensors, metadata


def load_gpt(ckpt_dir):
    """The checkpoint's GPT as a float64 PyTorch model."""
    with open(os.path.join(ckpt_dir, "config.json"), encoding="utf-8") as f:
        meta = json.load(f)
    if meta.get("kind") != "gpt":
        raise SystemExit(f"{ckpt_dir} holds a model of kind {meta.get('kind')!r}, not a GPT")
    c = meta["config"]
    model = GPT(vocab=c["vocabSize"], block=c["blockSize"], layers=c["nLayer"], heads=c["nHead"], c=c["nEmbd"],
                bias=c["bias"]).double().eval()
    tensors, _ = read_safetensors(os.path.join(ckpt_dir, "model.safetensors"))
    assigned = set()
    with torch.no_grad():
        for name, t in tensors.items():
            p, linear = torch_param(model, name)
            w = t.double().T if linear else t.double()
            if tuple(w.shape) != tuple(p.shape):
                raise SystemExit(f"{name}: shape {list(t.shape)} in the checkpoint does not fit {list(p.shape)}")
            p.copy_(w)
            assigned.add(id(p))
    missing = [n for n, p in model.named_parameters() if id(p) not in assigned]
    if missing:
        raise SystemExit(f"the checkpoint lacks {', '.join(missing)}")
    return model, len(tensors)


def logits(model, ids):
    """Logits of every position of one sequence (as lib/gpt's forward gives them)."""
    x = torch.tensor([ids])
    with torch.no_grad():
        h = model.wte(x) + model.wpe(torch.arange(len(ids)))
        for block in model.h:
            h = block(h)
        return (model.ln_f(h) @ model.wte.weight.T)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ckpt")
    parser.add_argument("--ids", default="0,1,2,3", help="comma-separated token ids")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model, count = load_gpt(args.ckpt)
    ids = [int(i) for i in args.ids.split(",")]
    out = logits(model, ids)
    print(json.dumps({"logits": out.tolist(), "params": sum(p.numel() for p in model.parameters()),
                      "tensors": count, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
