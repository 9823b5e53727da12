"""Reference numbers for tests/attention/torch_reference_test.ts: multi-head self-attention (causal) and
cross-attention (with a padding mask on the memory) written out in PyTorch as nanoGPT's non-flash path does, in float64,
on inputs and weights both sides compute from a formula; prints outputs and gradients as JSON.

Formula: the k-th tensor (inputs first, then the parameters in lib/attention's order, linear weights stored [in, out])
has element i = scale * sin(0.37 * i + 1.3 * k + phase), scale 0.5 for inputs and 0.2 for weights. The loss is
sum(y * r) with r_i = cos(0.11 * i), so every output element gets its own gradient.

Usage: /usr/bin/python3 bench/reference/attention_ref.py > bench/reference/attention_ref.json
"""
import json
import math

import torch

B, T, S, C, H = 2, 5, 6, 8, 2


def formula(shape, k, scale):
    n = math.prod(shape)
    return torch.tensor([scale * math.sin(0.37 * i + 1.3 * k) for i in range(n)], dtype=torch.float64).view(shape)


def heads(z, b, t):
    return z.view(b, t, H, C // H).transpose(1, 2)  # [B, H, t, D]


def attend(q, k, v, keep):
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
    att = att.masked_fill(keep == 0, float("-inf"))
    return torch.softmax(att, dim=-1) @ v


def merge(y, b, t):
    return y.transpose(1, 2).contiguous().view(b, t, C)


def loss_of(y):
    r = torch.tensor([math.cos(0.11 * i) for i in range(y.numel())], dtype=torch.float64).view(y.shape)
    return (y * r).sum()


def flat(t):
    return [round(v, 12) for v in t.detach().reshape(-1).tolist()]


def self_attention():
    x = formula([B, T, C], 0, 0.5).requires_grad_()
    w_attn, b_attn = formula([C, 3 * C], 1, 0.2).requires_grad_(), formula([3 * C], 2, 0.2).requires_grad_()
    w_proj, b_proj = formula([C, C], 3, 0.2).requires_grad_(), formula([C], 4, 0.2).requires_grad_()
    q, k, v = (x @ w_attn + b_attn).split(C, dim=2)
    keep = torch.tril(torch.ones(T, T)).view(1, 1, T, T)
    y = merge(attend(heads(q, B, T), heads(k, B, T), heads(v, B, T), keep), B, T) @ w_proj + b_proj
    loss_of(y).backward()
    return {"y": flat(y), "grad_x": flat(x.grad), "grad_c_attn_weight": flat(w_attn.grad),
            "grad_c_attn_bias": flat(b_attn.grad), "grad_c_proj_weight": flat(w_proj.grad)}


def cross_attention():
    x = formula([B, T, C], 0, 0.5).requires_grad_()
    memory = formula([B, S, C], 5, 0.5).requires_grad_()
    w_q, b_q = formula([C, C], 1, 0.2).requires_grad_(), formula([C], 2, 0.2).requires_grad_()
    w_kv, b_kv = formula([C, 2 * C], 3, 0.2).requires_grad_(), formula([2 * C], 4, 0.2).requires_grad_()
    w_proj, b_proj = formula([C, C], 6, 0.2).requires_grad_(), formula([C], 7, 0.2).requires_grad_()
    k, v = (memory @ w_kv + b_kv).split(C, dim=2)
    keep = torch.ones(B, 1, 1, S)
    keep[1, :, :, S - 2:] = 0  # the second memory's last two positions are padding
    y = merge(attend(heads(x @ w_q + b_q, B, T), heads(k, B, S), heads(v, B, S), keep), B, T) @ w_proj + b_proj
    loss_of(y).backward()
    return {"y": flat(y), "grad_x": flat(x.grad), "grad_memory": flat(memory.grad),
            "grad_kv_attn_weight": flat(w_kv.grad), "grad_q_attn_weight": flat(w_q.grad)}


def main():
    torch.set_num_threads(1)
    print(json.dumps({"torch": torch.__version__, "shape": {"B": B, "T": T, "S": S, "C": C, "H": H},
                      "self": self_attention(), "cross": cross_attention()}))


if __name__ == "__main__":
    main()
