"""PyTorch reference for bench/nn_lstm.ts (`deno task bench:nn --only lstm`, or `deno run -A bench/nn_lstm.ts`): the
same character LSTM training step as ours, on one thread, with torch.nn.LSTM.

Each case: token ids [B, T] -> nn.Embedding(vocab, H) -> nn.LSTM(H, H, batch_first=True) -> either
  head 0: loss = mean(hs * r) for a fixed random r [B, T, H] (the recurrence alone), or
  head V: nn.Linear(H, V) -> cross-entropy against next ids (a character language model),
then backward and one torch.optim.Adam step over all parameters.

Usage: /usr/bin/python3 bench/reference/lstm_step.py --cases '[{"hidden":128,"head":0}]' [--batch 32] [--seq 64]
       [--vocab 3000] [--steps 10] [--warmup 3]
Prints one JSON line: {"torch": "...", "threads": 1, "cases": [{"hidden":..., "head":..., "ms_per_step": median wall,
"cpu_ms_per_step": process CPU per step, "loss_first":..., "loss_last":...}, ...]}.
"""
import argparse
import json
import os
import statistics
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # one thread, BLAS included
    os.environ[_var] = "1"

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class CharLstm(nn.Module):
    def __init__(self, vocab, hidden, head):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.lstm = nn.LSTM(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, head) if head else None

    def forward(self, ids):
        hs, _ = self.lstm(self.emb(ids))  # [B, T, H]
        return hs if self.head is None else self.head(hs)  # [B, T, H] or [B, T, V]


def run_case(hidden, head, batch, seq, vocab, steps, warmup):
    torch.manual_seed(1)
    model = CharLstm(vocab, hidden, head)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(2)
    ids = torch.randint(0, vocab, (batch, seq + 1), generator=g)
    x, y = ids[:, :-1], ids[:, 1:]
    r = torch.randn(batch, seq, hidden, generator=g)

    def step():
        opt.zero_grad(set_to_none=True)
        out = model(x)
        loss = (out * r).mean() if head == 0 else F.cross_entropy(out.reshape(-1, head), y.reshape(-1))
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        first = step()
    times = []
    c0 = time.process_time()
    for _ in range(steps):
        t0 = time.perf_counter()
        last = step()
        times.append((time.perf_counter() - t0) * 1000)
    cpu = (time.process_time() - c0) * 1000 / steps
    return {
        "hidden": hidden,
        "head": head,
        "ms_per_step": statistics.median(times),
        "cpu_ms_per_step": cpu,
        "loss_first": first,
        "loss_last": last,
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cases", default='[{"hidden": 128, "head": 0}]')
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seq", type=int, default=64)
    p.add_argument("--vocab", type=int, default=3000)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(1)
    cases = [
        run_case(c["hidden"], c["head"], a.batch, a.seq, a.vocab, a.steps, max(1, a.warmup))
        for c in json.loads(a.cases)
    ]
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "cases": cases}))


if __name__ == "__main__":
    main()
