#!/usr/bin/env python3
"""PyTorch CPU benchmark of the DeepRank multi-scale network (the reference side
of the Swift-vs-PyTorch comparison).

The network is the paper's multi-scale network (README, "The paper in brief"),
scaled down to a 64x64 input and a 128-d embedding:

  deep part   conv 5x5 (32, pad 2), ReLU, max-pool 2
              conv 3x3 (64, pad 1), ReLU, max-pool 2
              conv 3x3 (128, pad 1), ReLU, max-pool 2
              flatten (8192) -> linear 256, ReLU, dropout (keep 0.6) -> L2-normalise
  shallow A   average-pool 4 -> conv 3x3 (32, pad 1), ReLU, max-pool 2 -> flatten (2048)
  shallow B   average-pool 8 -> conv 3x3 (32, pad 1), ReLU, max-pool 2 -> flatten (512)
  shallow     L2-normalise(cat(A, B))
  embedding   L2-normalise(linear(cat(deep, shallow)) 2816 -> 128)
  loss        mean over triplets of max(0, margin + |q-p|^2 - |q-n|^2), margin 0.2
  optimiser   SGD lr 0.01, momentum 0.9, weight decay 0.001

A batch of B triplets is 3B images laid out [q_0..q_{B-1}, p_0.., n_0..].

Everything runs in float32 on the CPU in the default (contiguous NCHW) memory
format; PyTorch dispatches the convolutions to oneDNN (MKL-DNN) and the matrix
products to MKL, with OpenMP threads set by --threads.

`make_torch_fixtures.py` imports `MultiScaleNet` and `triplet_loss` from here, so
the fixture's tiny network and the benchmarked one are the same code.

Usage:
  python Tests/Reference/bench_torch.py --threads 2            # readable table
  python Tests/Reference/bench_torch.py --threads 2 --json     # one JSON line
With --json the only thing printed on stdout is one JSON object on one line.
"""

import argparse
import json
import os
import re
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

L2_EPS = 1e-12


# MARK: - Network


class DeepPart(nn.Module):
    """AlexNet-like ConvNet part: three conv/ReLU/max-pool stages, then a fully
    connected layer, ReLU, dropout and L2 normalisation. Input [N, 3, S, S],
    output [N, fc]."""

    def __init__(self, input_size, channels, fc, dropout_keep):
        super().__init__()
        c1, c2, c3 = channels
        self.conv1 = nn.Conv2d(3, c1, kernel_size=5, padding=2)
        self.conv2 = nn.Conv2d(c1, c2, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2d(c2, c3, kernel_size=3, padding=1)
        side = input_size // 8
        self.fc = nn.Linear(c3 * side * side, fc)
        self.dropout = nn.Dropout(p=1.0 - dropout_keep)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.max_pool2d(F.relu(self.conv3(x)), 2)
        x = self.dropout(F.relu(self.fc(x.flatten(1))))
        return F.normalize(x, dim=1, eps=L2_EPS)


class ShallowPart(nn.Module):
    """One shallow part: average-pool by `subsample`, conv 3x3 (pad 1), ReLU,
    max-pool 2, flatten. Input [N, 3, S, S], output [N, C * (S/subsample/2)^2]."""

    def __init__(self, subsample, channels):
        super().__init__()
        self.subsample = subsample
        self.conv = nn.Conv2d(3, channels, kernel_size=3, padding=1)

    def forward(self, x):
        x = F.avg_pool2d(x, kernel_size=self.subsample, stride=self.subsample)
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return x.flatten(1)


class MultiScaleNet(nn.Module):
    """Deep part + two shallow parts on 4:1 and 8:1 subsampled images, combined by
    one linear embedding and L2-normalised (the paper's multi-scale network).
    Feature order into the embedding: deep, shallow A, shallow B."""

    def __init__(self, input_size=64, deep_channels=(32, 64, 128), deep_fc=256,
                 shallow_channels=32, embedding=128, dropout_keep=0.6):
        super().__init__()
        assert input_size % 16 == 0, "input size must be a multiple of 16"
        self.deep = DeepPart(input_size, deep_channels, deep_fc, dropout_keep)
        self.shallow_a = ShallowPart(4, shallow_channels)
        self.shallow_b = ShallowPart(8, shallow_channels)
        shallow_width = shallow_channels * ((input_size // 8) ** 2 + (input_size // 16) ** 2)
        self.embed = nn.Linear(deep_fc + shallow_width, embedding)

    def forward(self, x):
        deep = self.deep(x)
        shallow = torch.cat([self.shallow_a(x), self.shallow_b(x)], dim=1)
        shallow = F.normalize(shallow, dim=1, eps=L2_EPS)
        embedded = self.embed(torch.cat([deep, shallow], dim=1))
        return F.normalize(embedded, dim=1, eps=L2_EPS)


def triplet_loss(embeddings, margin):
    """Hinge loss on squared Euclidean distances, mean over the B triplets of
    embeddings [3B, D] laid out [q_0..q_{B-1}, p_0.., n_0..]. Written by hand:
    nn.TripletMarginLoss uses the non-squared distance."""
    q, p, n = embeddings.chunk(3, dim=0)
    d_pos = ((q - p) ** 2).sum(dim=1)
    d_neg = ((q - n) ** 2).sum(dim=1)
    return torch.clamp(margin + d_pos - d_neg, min=0).mean()


# MARK: - FLOP count


def forward_flops_per_image(model, input_size):
    """Analytic forward FLOPs of one image: 2*Cout*Hout*Wout*Cin*kh*kw per conv plus
    2*in*out per linear layer (pooling, ReLU and normalisation are not counted).
    Output shapes come from one forward pass with hooks."""
    counts = []

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            _, c_out, h_out, w_out = output.shape
            kh, kw = module.kernel_size
            counts.append(2 * c_out * h_out * w_out * (module.in_channels // module.groups) * kh * kw)
        elif isinstance(module, nn.Linear):
            counts.append(2 * module.in_features * module.out_features)

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        model(torch.zeros(1, 3, input_size, input_size))
    model.train(was_training)
    for h in handles:
        h.remove()
    return sum(counts)


# MARK: - Timing


def median_seconds(fn, steps, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def reference_name():
    config = torch.__config__.show()
    parts = []
    onednn = re.search(r"MKL-DNN (v[\d.]+)", config)
    if torch.backends.mkldnn.is_available():
        parts.append("oneDNN " + onednn.group(1) if onednn else "oneDNN")
    mkl = re.search(r"Math Kernel Library Version ([\d.]+)", config)
    if torch.backends.mkl.is_available():
        parts.append("MKL " + mkl.group(1) if mkl else "MKL")
    return f"torch {torch.__version__} ({', '.join(parts)})"


def conv_layers_step(model, images, size):
    """A closure that runs forward and backward of the five conv layers alone on
    their real input shapes (batch `images`): weight and bias gradients for all,
    input gradients for conv2 and conv3 only (the other three see the image)."""
    deep = model.deep
    specs = [
        (deep.conv1, (images, 3, size, size), False),
        (deep.conv2, (images, deep.conv1.out_channels, size // 2, size // 2), True),
        (deep.conv3, (images, deep.conv2.out_channels, size // 4, size // 4), True),
        (model.shallow_a.conv, (images, 3, size // 4, size // 4), False),
        (model.shallow_b.conv, (images, 3, size // 8, size // 8), False),
    ]
    inputs = [torch.randn(shape, requires_grad=needs_grad) for _, shape, needs_grad in specs]
    with torch.no_grad():
        upstream = [conv(x) for (conv, _, _), x in zip(specs, inputs)]
    upstream = [torch.randn_like(u) for u in upstream]
    flops = sum(2 * u.shape[1] * u.shape[2] * u.shape[3] * conv.in_channels
                * conv.kernel_size[0] * conv.kernel_size[1]
                for (conv, _, _), u in zip(specs, upstream)) * images

    def step():
        for conv, _, _ in specs:
            conv.weight.grad = None
            conv.bias.grad = None
        for x in inputs:
            x.grad = None
        outputs = [conv(x) for (conv, _, _), x in zip(specs, inputs)]
        torch.autograd.backward(outputs, upstream)

    # 3x forward, as for the whole network (the three image-facing layers skip
    # their input gradient, so this slightly overstates their work).
    return step, 3 * flops


def sgemm_peak_gflops(n, reps, warmup):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    seconds = median_seconds(lambda: torch.mm(a, b), reps, warmup)
    return 2 * n ** 3 / seconds / 1e9


def run(args):
    torch.manual_seed(args.seed)
    triplets = args.batch_triplets
    images = 3 * triplets
    model = MultiScaleNet(input_size=args.input_size)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=0.001)
    x = torch.randn(images, 3, args.input_size, args.input_size)

    forward_flops = forward_flops_per_image(model, args.input_size)
    train_flops = 3 * forward_flops

    # Training: one full step per timing.
    model.train()
    losses = []

    def train_step():
        optimizer.zero_grad()
        loss = triplet_loss(model(x), margin=0.2)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    train_s = median_seconds(train_step, args.steps, args.warmup)

    # Inference: forward of one batch, dropout off, no autograd.
    model.eval()
    with torch.inference_mode():
        infer_s = median_seconds(lambda: model(x), args.steps, args.warmup)
    model.train()

    conv_step, conv_flops = conv_layers_step(model, images, args.input_size)
    conv_s = median_seconds(conv_step, args.steps, args.warmup)

    peak = sgemm_peak_gflops(2048, reps=max(3, min(args.steps, 10)), warmup=2)

    train_ips = images / train_s
    return {
        "threads": args.threads,
        "reference": reference_name(),
        "batch_triplets": triplets,
        "images_per_step": images,
        "input_size": args.input_size,
        "steps": args.steps,
        "warmup": args.warmup,
        "train_step_ms_median": train_s * 1e3,
        "train_images_per_s": train_ips,
        "infer_batch_ms_median": infer_s * 1e3,
        "infer_images_per_s": images / infer_s,
        "forward_flops_per_image": forward_flops,
        "train_flops_per_image": train_flops,
        "gflops": train_flops * train_ips / 1e9,
        "conv_step_ms_median": conv_s * 1e3,
        "conv_gflops": conv_flops / conv_s / 1e9,
        "sgemm_peak_gflops": peak,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "first_loss": losses[0],
        "last_loss": losses[-1],
    }


def print_table(r):
    rows = [
        ("reference", r["reference"]),
        ("threads", r["threads"]),
        ("batch", f'{r["batch_triplets"]} triplets = {r["images_per_step"]} images of '
                  f'3x{r["input_size"]}x{r["input_size"]}'),
        ("steps (warm-up)", f'{r["steps"]} ({r["warmup"]})'),
        ("forward FLOPs / image", f'{r["forward_flops_per_image"]:,}'),
        ("train FLOPs / image", f'{r["train_flops_per_image"]:,}'),
        ("train step, median", f'{r["train_step_ms_median"]:.1f} ms'),
        ("train images / s", f'{r["train_images_per_s"]:.1f}'),
        ("train GFLOP/s", f'{r["gflops"]:.2f}'),
        ("inference batch, median", f'{r["infer_batch_ms_median"]:.1f} ms'),
        ("inference images / s", f'{r["infer_images_per_s"]:.1f}'),
        ("conv fwd+bwd, median", f'{r["conv_step_ms_median"]:.1f} ms'),
        ("conv GFLOP/s", f'{r["conv_gflops"]:.2f}'),
        ("sgemm 2048 GFLOP/s", f'{r["sgemm_peak_gflops"]:.2f}'),
        ("peak RSS", f'{r["peak_rss_mib"]:.0f} MiB'),
        ("loss first / last step", f'{r["first_loss"]:.4f} / {r["last_loss"]:.4f}'),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch-triplets", type=int, default=32)
    parser.add_argument("--input-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object on one line")
    args = parser.parse_args()
    if args.threads < 1 or args.steps < 1 or args.warmup < 0:
        parser.error("--threads and --steps must be >= 1, --warmup >= 0")

    # Both must be set before any parallel work starts.
    torch.set_num_interop_threads(1)
    torch.set_num_threads(args.threads)

    result = run(args)
    if args.json:
        print(json.dumps(result), flush=True)
    else:
        print_table(result)


if __name__ == "__main__":
    main()
