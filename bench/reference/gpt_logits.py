"""Reference numbers for tests/gpt/reference_test.ts: a tiny GPT in PyTorch (the model of gpt_step.py) with weights set
by a formula both sides can compute, run on a fixed batch; prints the loss, some logits and some gradients as JSON.

Weights: the k-th parameter (in the GPT's parameter order, lib/gpt/model.ts names, linear weights stored [in, out]) has
element i = scale * sin(0.37 * i + 1.3 * k), scale 0.1 (LayerNorm gains 1 + that).

Usage: /usr/bin/python3 bench/reference/gpt_logits.py > bench/reference/gpt_logits.json
"""
import json
import math
import sys

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from gpt_step import GPT  # noqa: E402

V, T, L, H, C = 11, 8, 2, 2, 16


def names():
    out = ["wte.weight", "wpe.weight"]
    for i in range(L):
        p = f"h.{i}."
        out += [p + n for n in ["ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias",
                                "attn.c_proj.weight", "attn.c_proj.bias", "ln_2.weight", "ln_2.bias",
                                "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"]]
    return out + ["ln_f.weight", "ln_f.bias"]


def torch_param(model, name):
    """Our name -> (torch parameter, whether it is a Linear weight stored [out, in])."""
    if name in ("wte.weight", "wpe.weight"):
        return getattr(model, name.split(".")[0]).weight, False
    if name.startswith("ln_f"):
        return getattr(model.ln_f, name.split(".")[1]), False
    _, i, *rest = name.split(".")
    block = model.h[int(i)]
    mod = {"ln_1": block.ln_1, "ln_2": block.ln_2, "attn.c_attn": block.c_attn, "attn.c_proj": block.c_proj,
           "mlp.c_fc": block.c_fc, "mlp.c_proj": block.mlp_proj}[".".join(rest[:-1])]
    p = getattr(mod, rest[-1])
    return p, rest[-1] == "weight" and not rest[0].startswith("ln")


def main():
    torch.set_num_threads(1)
    model = GPT(vocab=V, block=T, layers=L, heads=H, c=C, bias=True).double()
    with torch.no_grad():
        for k, name in enumerate(names()):
            p, linear = torch_param(model, name)
            shape = list(p.shape[::-1]) if linear else list(p.shape)
            n = math.prod(shape)
            vals = torch.tensor([0.1 * math.sin(0.37 * i + 1.3 * k) for i in range(n)], dtype=torch.float64)
            if ".ln" in name or name.startswith("ln") or "ln_" in name:
                vals = vals + (1.0 if name.endswith("weight") else 0.0)
            w = vals.view(shape)
            p.copy_(w.T if linear else w)
    x = torch.tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
    y = torch.tensor([[2, 3, 4, 5, 6], [7, 8, 9, 10, 0]])
    loss = model(x, y)
    loss.backward()
    grads = {}
    for name in ["wte.weight", "h.0.attn.c_attn.weight", "h.1.mlp.c_fc.bias", "ln_f.weight"]:
        p, linear = torch_param(model, name)
        g = p.grad.T if linear else p.grad
        grads[name] = g.reshape(-1)[:12].tolist()
    # logits of the last position of the first sequence
    with torch.no_grad():
        h = model.wte(x) + model.wpe(torch.arange(5))
        for block in model.h:
            h = block(h)
        logits = model.lm_head(model.ln_f(h))[0, -1].tolist()
    print(json.dumps({"loss": loss.item(), "logits": logits, "grads": grads, "torch": torch.__version__}, indent=1))


if __name__ == "__main__":
    main()
