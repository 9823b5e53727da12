"""PyTorch reference for bench/nn_bench.ts: lib/nn/cnn.ts's DigitCnn (conv 3x3 16, ReLU, max pool 2, conv 3x3 32,
ReLU, max pool 2, dense 10) trained with Adam on batches of random images, on one CPU thread.

It serves the bench interleaved with the tfjs runs: it reads commands from stdin, one a line, and answers each with one
JSON line on stdout:

    {"steps": N}  ->  {"wall_ms": [...], "cpu_ms": [...]}   times N training steps (per-step wall and CPU ms)
    {"quit": true}                                         exits

The first line it prints is {"ready": true, "torch": VERSION, "threads": 1}. Arguments: --batch-size (64),
--channels1 (16), --channels2 (32), --warmup (5).
"""

import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class DigitCnn(nn.Module):
    def __init__(self, c1: int, c2: int):
        super().__init__()
        self.conv1 = nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.dense = nn.Linear(7 * 7 * c2, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)  # [B, c1, 14, 14]
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)  # [B, c2, 7, 7]
        return self.dense(x.flatten(1))  # [B, 10]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--channels1", type=int, default=16)
    parser.add_argument("--channels2", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1337)
    model = DigitCnn(args.channels1, args.channels2)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(args.batch_size, 1, 28, 28)
    y = torch.arange(args.batch_size) % 10

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        loss.item()

    for _ in range(args.warmup):
        step()
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("quit"):
            break
        wall, cpu = [], []
        for _ in range(int(command["steps"])):
            w0, c0 = time.perf_counter(), time.process_time()
            step()
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        print(json.dumps({"wall_ms": wall, "cpu_ms": cpu}), flush=True)


if __name__ == "__main__":
    main()
