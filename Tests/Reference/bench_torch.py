#!/usr/bin/env python3
"""PyTorch CPU benchmark of a DeepRank multi-scale network (the reference side
of the Swift-vs-PyTorch comparison, `deeprank bench engine --against-pytorch`).

The network is `multiscale_twin.MultiScaleTwin(config)`, the PyTorch twin of
the Swift `MultiScaleNetwork` for any `MultiScaleConfig` (same layers, same
parameter names; `make_network_parity_fixtures.py` checks it against the Swift
network at full size). `config` is `--config-json` (a dict in the format of
`multiscale_twin.PRESETS`; `deeprank bench engine` writes it from its
`MultiScaleConfig`) or `--network PRESET` (default `reference`). The reference
network is the paper's multi-scale network (README, "The paper in brief")
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
Training draws a fresh dropout mask each step (Bernoulli(keep), kept values
scaled by 1/keep, as nn.Dropout and the Swift `Dropout` do) and hands it to the
twin; inference runs without dropout.

Everything runs in float32 on the CPU in the default (contiguous NCHW) memory
format; PyTorch dispatches the convolutions to oneDNN (MKL-DNN) and the matrix
products to MKL, with OpenMP threads set by --threads.

Convolutions alone: every conv layer's forward and backward on its real input
shape (weight and bias gradients for all; input gradients only for the deep
part's layers after the first, as in training). The whole set is timed in
paired rounds (a `torch.mm` peak on 2048x2048 matrices, then the convolutions;
the fraction is the median of the rounds' ratios), and each layer alone right
after its own `torch.mm` peak measurement. The peak is MKL's `torch.mm`, not
the OpenBLAS `cblas_sgemm` peak the Swift side measures.

`MultiScaleNet` below is the reference network written out by hand (the same
layers and parameter order as `MultiScaleTwin(PRESETS["reference"])`);
`make_torch_fixtures.py` imports it and `triplet_loss` for its tiny network.

Usage:
  python Tests/Reference/bench_torch.py --threads 2                          # readable table
  python Tests/Reference/bench_torch.py --threads 2 --json                   # one JSON line
  python Tests/Reference/bench_torch.py --threads 2 --network paper-sized
  python Tests/Reference/bench_torch.py --threads 2 --config-json "$(deeprank bench engine --network tiny --print-twin-config)"
With --json the only thing printed on stdout is one JSON object on one line.
"""

import argparse
import json
import os
import re
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from multiscale_twin import PRESETS, MultiScaleTwin

L2_EPS = 1e-12

# Rounds of (torch.mm peak, convolutions) for the conv fraction, as the Swift
# side's `EngineBenchmark.pairedRounds`.
PAIRED_ROUNDS = 7
PEAK_MATRIX_SIZE = 2048


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

    forward_once_with_hooks(model, input_size, [(m, hook) for m in model.modules()
                                                if isinstance(m, (nn.Conv2d, nn.Linear))])
    return sum(counts)


def forward_once_with_hooks(model, input_size, hooks):
    """One inference pass of a zero image with the forward hooks [(module, hook)]
    attached; the model's training mode is restored and the hooks removed."""
    handles = [module.register_forward_hook(hook) for module, hook in hooks]
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        model(torch.zeros(1, 3, input_size, input_size))
    model.train(was_training)
    for h in handles:
        h.remove()


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


def peak_rss_mib():
    """Peak resident memory of this program: VmHWM of /proc/self/status, the high-water
    mark of its own address space. (getrusage's ru_maxrss keeps the parent's peak across
    the exec, so run from `deeprank bench engine` it would read at least DeepRank's.)"""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM line in /proc/self/status")


def sgemm_peak_gflops(n, reps, warmup):
    """`torch.mm` (MKL sgemm) GFLOP/s on n x n matrices, median of `reps`."""
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    seconds = median_seconds(lambda: torch.mm(a, b), reps, warmup)
    return 2 * n ** 3 / seconds / 1e9


# MARK: - Convolutions alone


class ConvCase:
    """One conv layer of the network on its real input shape (batch `images`), with
    a random output gradient. `executed_flops`: forward and weight gradient, plus the
    input gradient where the layer needs it (2x or 3x the forward FLOPs)."""

    def __init__(self, name, conv, input_shape, images, input_gradient):
        self.name, self.conv = name, conv
        self.x = torch.randn((images,) + tuple(input_shape), requires_grad=input_gradient)
        with torch.no_grad():
            y = conv(self.x)
        self.dy = torch.randn_like(y)
        _, c_out, h_out, w_out = y.shape
        kh, kw = conv.kernel_size
        self.forward_flops = 2 * c_out * h_out * w_out * conv.in_channels * kh * kw * images
        self.executed_flops = (3 if input_gradient else 2) * self.forward_flops
        c_in, h_in, w_in = input_shape
        self.shape = f"{c_in}->{c_out} k{kh} on {h_in}x{w_in}"

    def run(self):
        self.conv.weight.grad = None
        self.conv.bias.grad = None
        self.x.grad = None
        self.conv(self.x).backward(self.dy)


def conv_cases(model, images, size):
    """Every conv layer of `model` in registration order (deep part, then the shallow
    parts; the Swift benchmark's order), its input shape taken from one forward pass.
    Only the deep part's layers after the first compute an input gradient (the
    others see the image)."""
    shapes = {}
    convs = [(name, m) for name, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    forward_once_with_hooks(model, size, [
        (m, lambda m, inputs, output, name=name: shapes.__setitem__(name, inputs[0].shape[1:])) for name, m in convs])
    return [ConvCase(name, m, shapes[name], images,
                     input_gradient=name.startswith("deep.") and name != "deep.conv1")
            for name, m in convs]


def run_convolutions(cases):
    for case in cases:
        case.run()


def time_convolutions(cases, steps):
    """The convolutions together in paired rounds (peak, then the convolutions, median
    of 3 each), and each layer alone after its own peak measurement (median of
    max(5, steps))."""
    run_convolutions(cases)
    rounds = []
    for _ in range(PAIRED_ROUNDS):
        peak = sgemm_peak_gflops(PEAK_MATRIX_SIZE, reps=3, warmup=1)
        rounds.append((peak, median_seconds(lambda: run_convolutions(cases), 3, 0)))
    executed = sum(c.executed_flops for c in cases)
    fractions = [executed / seconds / 1e9 / peak for peak, seconds in rounds]
    seconds = statistics.median(s for _, s in rounds)
    layers = []
    for case in cases:
        peak = sgemm_peak_gflops(PEAK_MATRIX_SIZE, reps=3, warmup=1)
        t = median_seconds(case.run, max(5, steps), 1)
        gflops = case.executed_flops / t / 1e9
        layers.append({"name": case.name, "shape": case.shape, "milliseconds": t * 1e3, "gflops": gflops,
                       "torch_mm_peak_gflops": peak, "fraction_of_torch_mm_peak": gflops / peak})
    return {
        "conv_step_ms_median": seconds * 1e3,
        # 3x forward FLOPs for every layer (this script's convention since the start).
        "conv_gflops": 3 * sum(c.forward_flops for c in cases) / seconds / 1e9,
        "conv_executed_gflops": executed / seconds / 1e9,
        "conv_fraction_of_sgemm_peak": statistics.median(fractions),
        "conv_fraction_of_sgemm_peak_range": [min(fractions), max(fractions)],
        "sgemm_peak_gflops": statistics.median(p for p, _ in rounds),
        "conv_breakdown": layers,
    }


# MARK: - Benchmark


def network_config(args):
    """The twin's config: --config-json, else the --network preset."""
    return json.loads(args.config_json) if args.config_json else PRESETS[args.network]


def run(args):
    torch.manual_seed(args.seed)
    config = network_config(args)
    size, keep = config["input_size"], config["dropout_keep"]
    triplets = args.batch_triplets
    images = 3 * triplets
    model = MultiScaleTwin(config)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=0.001)
    x = torch.randn(images, 3, size, size)

    forward_flops = forward_flops_per_image(model, size)
    train_flops = 3 * forward_flops

    # Training: one full step per timing, a fresh dropout mask each step.
    model.train()
    losses = []

    def train_step():
        optimizer.zero_grad()
        mask = torch.empty(images, config["deep_features"]).bernoulli_(keep) if keep < 1 else None
        loss = triplet_loss(model(x, mask), margin=0.2)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    train_s = median_seconds(train_step, args.steps, args.warmup)

    # Inference: forward of one batch, dropout off, no autograd.
    model.eval()
    with torch.inference_mode():
        infer_s = median_seconds(lambda: model(x), args.steps, args.warmup)
    model.train()
    # The network's peak, read before the per-layer convolution timings (their inputs,
    # gradients and layer copies are not the network's); the whole run's is kept beside it.
    network_peak_rss = peak_rss_mib()

    conv = time_convolutions(conv_cases(model, images, size), args.steps)

    train_ips = images / train_s
    return {
        "threads": args.threads,
        "reference": reference_name(),
        "network": config,
        "parameters": sum(p.numel() for p in model.parameters()),
        "batch_triplets": triplets,
        "images_per_step": images,
        "input_size": size,
        "steps": args.steps,
        "warmup": args.warmup,
        "train_step_ms_median": train_s * 1e3,
        "train_images_per_s": train_ips,
        "infer_batch_ms_median": infer_s * 1e3,
        "infer_images_per_s": images / infer_s,
        "forward_flops_per_image": forward_flops,
        "train_flops_per_image": train_flops,
        "gflops": train_flops * train_ips / 1e9,
        **conv,
        "peak_rss_mib": network_peak_rss,
        "process_peak_rss_mib": peak_rss_mib(),
        "first_loss": losses[0],
        "last_loss": losses[-1],
    }


def print_table(r):
    rows = [
        ("reference", r["reference"]),
        ("threads", r["threads"]),
        ("parameters", f'{r["parameters"]:,}'),
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
        ("conv GFLOP/s (3x forward)", f'{r["conv_gflops"]:.2f}'),
        ("conv GFLOP/s (executed)", f'{r["conv_executed_gflops"]:.2f}'),
        ("conv / torch.mm peak", f'{100 * r["conv_fraction_of_sgemm_peak"]:.0f}% (rounds '
                                 f'{100 * r["conv_fraction_of_sgemm_peak_range"][0]:.0f}-'
                                 f'{100 * r["conv_fraction_of_sgemm_peak_range"][1]:.0f}%)'),
        ("torch.mm 2048 GFLOP/s", f'{r["sgemm_peak_gflops"]:.2f}'),
        ("peak RSS, training and inference", f'{r["peak_rss_mib"]:.0f} MiB'),
        ("peak RSS, whole run", f'{r["process_peak_rss_mib"]:.0f} MiB'),
        ("loss first / last step", f'{r["first_loss"]:.4f} / {r["last_loss"]:.4f}'),
    ] + [(f'  {layer["name"]} ({layer["shape"]})',
          f'{layer["milliseconds"]:.1f} ms, {layer["gflops"]:.1f} GFLOP/s = '
          f'{100 * layer["fraction_of_torch_mm_peak"]:.0f}% of torch.mm {layer["torch_mm_peak_gflops"]:.0f}')
         for layer in r["conv_breakdown"]]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch-triplets", type=int, default=32)
    network = parser.add_mutually_exclusive_group()
    network.add_argument("--network", choices=sorted(PRESETS), default="reference",
                         help="a preset of multiscale_twin.PRESETS")
    network.add_argument("--config-json", help="the network as a multiscale_twin config dict, in JSON")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object on one line")
    args = parser.parse_args()
    if args.threads < 1 or args.steps < 1 or args.warmup < 0 or args.batch_triplets < 1:
        parser.error("--threads, --steps and --batch-triplets must be >= 1, --warmup >= 0")

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
