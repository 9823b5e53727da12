"""PyTorch reference for `deno task bench:gpt`: the same GPT as lib/gpt and as upstream nanoGPT's model.py (exact GELU
through nn.GELU, the output head an nn.Linear tied to the token embedding, nanoGPT's non-flash attention; no biases by
default, as nanoGPT and GPT_BABY) and the same training step (AdamW with decay on matrices only, gradient clipping at
1.0) on one thread, timed over N steps of a batch of 12 x 64 tokens (median and mean).

Usage: /usr/bin/python3 bench/reference/gpt_step.py [--steps N] [--warmup N] [--batch-size 12] [--bias]
       /usr/bin/python3 bench/reference/gpt_step.py --train FILE   (the full 2000-iteration run, as bench:gpt --train)
Prints one JSON line: {"ms_per_step": <median>, "ms_mean": ..., "cpu_ms_per_step": ..., "params": ..., "loss_first": ..., "loss_last": ..., "torch": "..."}.
"""
import argparse
import json
import math
import os
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # one thread, BLAS included
    os.environ[_var] = "1"

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class LayerNorm(nn.Module):
    """LayerNorm with an optional bias (as nanoGPT's; torch 1.13's nn.LayerNorm always has one)."""

    def __init__(self, c, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class Block(nn.Module):
    def __init__(self, c, h, block, bias):
        super().__init__()
        self.h = h
        self.ln_1 = LayerNorm(c, bias)
        self.c_attn = nn.Linear(c, 3 * c, bias=bias)
        self.c_proj = nn.Linear(c, c, bias=bias)
        self.ln_2 = LayerNorm(c, bias)
        self.c_fc = nn.Linear(c, 4 * c, bias=bias)
        self.gelu = nn.GELU()  # exact, as nanoGPT (torch 1.13 runs the tanh form slower on CPU)
        self.mlp_proj = nn.Linear(4 * c, c, bias=bias)
        self.register_buffer("mask", torch.tril(torch.ones(block, block)).view(1, 1, block, block))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.h, c // self.h).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))  # nanoGPT's attention without flash
        att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        x = x + self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))
        return x + self.mlp_proj(self.gelu(self.c_fc(self.ln_2(x))))


class GPT(nn.Module):
    def __init__(self, vocab=65, block=64, layers=4, heads=4, c=128, bias=False):
        super().__init__()
        self.wte = nn.Embedding(vocab, c)
        self.wpe = nn.Embedding(block, c)
        self.h = nn.ModuleList([Block(c, heads, block, bias) for _ in range(layers)])
        self.ln_f = LayerNorm(c, bias)
        self.lm_head = nn.Linear(c, vocab, bias=False)  # tied to wte, as nanoGPT
        self.wte.weight = self.lm_head.weight
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith("c_proj.weight") or "mlp_proj" in name else 0.02
                nn.init.normal_(p, 0.0, std)
            elif "ln" not in name:
                nn.init.zeros_(p)

    def forward(self, idx, targets):
        t = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(t, device=idx.device))
        for block in self.h:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)


def train(path, model, opt, iters=2000, batch=12, block=64, seed=1337, lr=1e-3):
    """nanoGPT's baby-GPT run on a text file: warmup 100 + cosine to lr/10, clip 1.0, estimates of 20 batches."""
    text = open(path, encoding="utf-8").read()
    chars = sorted(set(text))
    data = torch.tensor([chars.index(c) for c in text]) if len(text) < 10_000 else \
        torch.tensor(list(map({c: i for i, c in enumerate(chars)}.__getitem__, text)))
    n = int(0.9 * len(data))
    splits = {"train": data[:n], "val": data[n:]}
    g = torch.Generator().manual_seed(seed)

    def get_batch(split):
        d = splits[split]
        ix = torch.randint(len(d) - block, (batch,), generator=g)
        return torch.stack([d[i:i + block] for i in ix]), torch.stack([d[i + 1:i + 1 + block] for i in ix])

    def lr_at(it, warmup=100, min_lr=lr / 10):
        if it < warmup:
            return lr * (it + 1) / (warmup + 1)
        ratio = (it - warmup) / (iters - warmup)
        return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)

    @torch.no_grad()
    def estimate():
        model.eval()
        out = {k: sum(model(*get_batch(k)).item() for _ in range(20)) / 20 for k in splits}
        model.train()
        return out

    t0, c0 = time.perf_counter(), time.process_time()
    for it in range(iters + 1):
        if it % 250 == 0:
            est = estimate()
            print(f"step {it}: train loss {est['train']:.4f}, val loss {est['val']:.4f}", flush=True)
        if it == iters:
            break
        for group in opt.param_groups:
            group["lr"] = lr_at(it)
        loss = model(*get_batch("train"))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    with torch.no_grad():  # the whole val split in consecutive windows of `block` tokens, as bench:gpt's last line
        model.eval()
        val = splits["val"]
        w = (len(val) - 1) // block
        x, y = val[:w * block].view(w, block), val[1:w * block + 1].view(w, block)
        whole = sum(model(x[i:i + 64], y[i:i + 64]).item() * len(x[i:i + 64]) for i in range(0, w, 64)) / w
    print(json.dumps({"val_loss": est["val"], "val_loss_whole": whole, "seconds": seconds,
                      "cpu_seconds": cpu_seconds, "lr": lr,
                      "seed": seed, "torch": torch.__version__}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=12)
    ap.add_argument("--bias", action="store_true", help="biases in linear layers and LayerNorms (GPT-2 style)")
    ap.add_argument("--train", metavar="FILE", help="run the full 2000-iteration training on this text instead")
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--lr", type=float, default=1e-3, help="peak learning rate (the cosine ends at a tenth of it)")
    ap.add_argument("--device", default="cpu", help="cpu (one thread, the reference) or cuda")
    ap.add_argument("--vocab", type=int, default=65)
    ap.add_argument("--block-size", type=int, default=64)
    ap.add_argument("--n-layer", type=int, default=4)
    ap.add_argument("--n-head", type=int, default=4)
    ap.add_argument("--n-embd", type=int, default=128)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    dev = torch.device(args.device)
    model = GPT(args.vocab, args.block_size, args.n_layer, args.n_head, args.n_embd, bias=args.bias).to(dev)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.99))
    if args.train:
        return train(args.train, model, opt, seed=args.seed, lr=args.lr)
    data = torch.randint(0, args.vocab, (100_000,))
    t = args.block_size

    def step():
        ix = torch.randint(len(data) - t - 1, (args.batch_size,))
        x = torch.stack([data[i:i + t] for i in ix]).to(dev)
        y = torch.stack([data[i + 1:i + t + 1] for i in ix]).to(dev)
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()  # waits for the GPU, as bench:gpt's step reads its loss

    for _ in range(args.warmup):
        first = step()
    t0, c0 = time.perf_counter(), time.process_time()
    times = []
    for _ in range(args.steps):
        s0 = time.perf_counter()
        last = step()
        times.append((time.perf_counter() - s0) * 1000)
    mean = (time.perf_counter() - t0) * 1000 / args.steps
    cpu = (time.process_time() - c0) * 1000 / args.steps
    median = sorted(times)[len(times) // 2]
    print(json.dumps({"ms_per_step": median, "ms_mean": mean, "cpu_ms_per_step": cpu, "params": sum(p.numel() for p in model.parameters()),
                      "loss_first": first, "loss_last": last, "torch": torch.__version__,
                      "device": torch.cuda.get_device_name() if dev.type == "cuda" else "cpu"}))


if __name__ == "__main__":
    main()
