#!/usr/bin/env python3
"""Writes Tests/Fixtures/schedule-reference.h5: PyTorch's learning rates for the cosine
schedule with linear warm-up (Sources/Methods/Training/LearningRateShape.swift).

For each case (T steps, W warm-up steps, final fraction f, base rate lr) a real
`torch.optim.SGD` is stepped T times under
    SequentialLR([LinearLR(start_factor=1/W, end_factor=1, total_iters=W-1),
                  CosineAnnealingLR(T_max=T-W, eta_min=f*lr)], milestones=[W])
(no warm-up: CosineAnnealingLR alone), and the rate in effect at each optimiser step is
recorded (float64, `/cases/<case>/rates`, attributes `steps`, `warmup_steps`,
`final_fraction`, `learning_rate`). The script checks the rates against LambdaLR with the
closed form
    factor(s) = (s + 1) / W                                       for s < W
    factor(s) = f + (1 - f) * (1 + cos(pi * (s - W) / (T - W))) / 2   for s >= W
to 1e-12 (the chained schedulers accumulate rounding; the closed form does not).

Run from the repository root:
    PYTHON Tests/Reference/make_schedule_fixtures.py
with PYTHON an environment with torch, numpy and h5py.
"""

import math
import os
import platform
import sys
import warnings

import h5py
import numpy as np
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LambdaLR, LinearLR, SequentialLR

GENERATOR = "Tests/Reference/make_schedule_fixtures.py"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "schedule-reference.h5")

# (name, steps T, warm-up W, final fraction f, base learning rate)
CASES = [
    ("no_warmup_to_zero", 20, 0, 0.0, 0.05),
    ("warmup_to_zero", 30, 5, 0.0, 0.05),
    ("warmup_to_tenth", 40, 8, 0.1, 0.1),
    ("one_warmup_step", 12, 1, 0.25, 0.01),
    ("long_warmup", 10, 9, 0.0, 0.2),
    ("final_fraction_one", 9, 3, 1.0, 0.05),
]


def sequential_rates(steps, warmup, final, lr):
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=lr)
    cosine = CosineAnnealingLR(optimizer, T_max=steps - warmup, eta_min=final * lr)
    if warmup > 0:
        linear = LinearLR(optimizer, start_factor=1 / warmup, end_factor=1.0, total_iters=max(warmup - 1, 0))
        scheduler = SequentialLR(optimizer, [linear, cosine], milestones=[warmup])
    else:
        scheduler = cosine
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def closed_form_rates(steps, warmup, final, lr):
    def factor(s):
        if s < warmup:
            return (s + 1) / warmup
        return final + (1 - final) * (1 + math.cos(math.pi * (s - warmup) / (steps - warmup))) / 2
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=lr)
    scheduler = LambdaLR(optimizer, factor)
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def main():
    warnings.filterwarnings("ignore", category=UserWarning)
    with h5py.File(OUTPUT, "w", libver=("v108", "v108")) as f:
        f.attrs["generator"] = GENERATOR
        f.attrs["torch_version"] = str(torch.__version__)
        f.attrs["numpy_version"] = np.__version__
        f.attrs["h5py_version"] = h5py.__version__
        f.attrs["hdf5_version"] = h5py.version.hdf5_version
        f.attrs["python_version"] = platform.python_version()
        for name, steps, warmup, final, lr in CASES:
            rates = sequential_rates(steps, warmup, final, lr)
            closed = closed_form_rates(steps, warmup, final, lr)
            assert np.allclose(rates, closed, rtol=0, atol=1e-12), f"{name}: SequentialLR != closed form"
            g = f.create_group(f"cases/{name}")
            g.create_dataset("rates", data=np.array(rates, dtype=np.float64))
            g.attrs["steps"] = np.int64(steps)
            g.attrs["warmup_steps"] = np.int64(warmup)
            g.attrs["final_fraction"] = np.float64(final)
            g.attrs["learning_rate"] = np.float64(lr)
    print(f"wrote {os.path.normpath(OUTPUT)} ({os.path.getsize(OUTPUT)} bytes, {len(CASES)} cases)", file=sys.stderr)


if __name__ == "__main__":
    main()
