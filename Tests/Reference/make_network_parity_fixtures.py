#!/usr/bin/env python3
"""Writes Tests/Fixtures/network-parity.h5: PyTorch reference values for the
networks the experiments run, at full size: the reference network (3x64x64,
`MultiScaleConfig.reference`) and the paper-sized one (3x225x225,
`MultiScaleConfig.paperSized`), both through `multiscale_twin.MultiScaleTwin`.

- `/networks/<preset>`: one triplet batch through the network in training mode
  with dropout keep 0.6 and a given mask: embeddings, the triplet loss and the
  gradient of every parameter.
- `/sgd/<variant>`: four SGD steps of the reference network on four batches
  (each with its own dropout mask), with the training defaults of a spec
  (`TrainingSchedule`): learning rate 0.05, momentum 0.9, weight decay 0.001,
  step decay by 0.1 at 1/2 and 3/4 of the steps, so the rate falls before
  steps 2 and 3. Variants `nesterov` (the default) and `momentum`.
- `/init/<preset>/<initializer>/<name>`: statistics of PyTorch's initialisers
  over many draws, for every parameter shape of both networks.
- `/init_from/paper-sized`: the paper-sized network exported by
  `export_torch_weights.py` (from a `torch.save` state dict and from a numpy
  archive of the same values: the script checks the two hold the same tensors) and
  its inference embeddings of six drawn images `x/eval`.

The networks have 2.6 M and 59 M parameters, too many to store, so every input
(parameters, images, dropout masks) is a counter-based draw that the Swift
tests make again bit for bit (`ParityDraws.swift`; `parity_draws.py` here):

    h_i = splitmix64_mix(fnv1a64(name) + (i + 1) * 0x9E3779B97F4A7C15)   (mod 2^64)
    u_i = (h_i >> 40) * 2^-24                        uniform in [0, 1), exact
    parameter, image:  float32((2 u_i - 1) * bound)  in float64, rounded once
    dropout mask:      1 if u_i < keep else 0

with `name` the parameter's name (`deep.conv1.weight`), `x` or `mask` (with
`/step<s>` in the SGD runs), parameters bounded by 1/sqrt(fan_in) as PyTorch's
default initialiser, images by 1. Large gradients are stored as a sample
(every `stride`-th element of the flat tensor) plus their sums over every axis
but the first (`row_sums`) and their L2 norm (attribute `norm`); a tensor of at
most 16384 elements is stored whole (stride 1).

Everything is computed in float64 and stored as float32. Root attributes record
the generator, and the torch, numpy, h5py, HDF5 and Python versions.
Nothing is seeded: every input is drawn from a name.

Run from the repository root (needs torch, numpy, h5py):
    python3 Tests/Reference/make_network_parity_fixtures.py
(`--only-init-from` rewrites `/init_from` alone.)
"""

import math
import os
import platform
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import torch

from make_torch_fixtures import write_attrs
from multiscale_twin import PRESETS, MultiScaleTwin, triplet_loss
from parity_draws import KEEP, mask, state_dict, symmetric

GENERATOR = "Tests/Reference/make_network_parity_fixtures.py"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "network-parity.h5")

MARGIN = 0.2
BATCH_TRIPLETS = {"reference": 4, "paper-sized": 2}
SAMPLE_TARGET = 16384

SGD_STEPS = 4
SGD = dict(lr=0.05, momentum=0.9, weight_decay=0.001, decay_factor=0.1)
INIT_MIN_SAMPLES = 1 << 20

def drawn_parameters(model):
    params = state_dict(model.config)
    assert list(params) == [name for name, _ in model.named_parameters()]
    return params


def load(model, params):
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.from_numpy(params[name].astype(np.float64)))


def images(name, preset, batch_triplets):
    size = PRESETS[preset]["input_size"]
    return torch.from_numpy(symmetric(name, (3 * batch_triplets, 3, size, size), 1.0).astype(np.float64))


def dropout_mask(name, preset, batch_triplets):
    return torch.from_numpy(mask(name, (3 * batch_triplets, PRESETS[preset]["deep_features"])))


# MARK: - Writing


def write_summary(group, name, tensor):
    """A tensor as `sample` (every stride-th flat element), `row_sums` and `norm`."""
    values = tensor.detach().numpy()
    flat = values.reshape(-1)
    stride = max(1, math.ceil(flat.size / SAMPLE_TARGET))
    sub = group.create_group(name)
    sub.create_dataset("sample", data=flat[::stride].astype(np.float32))
    sub.create_dataset("row_sums", data=values.reshape(values.shape[0], -1).sum(1).astype(np.float32))
    write_attrs(sub, stride=stride, norm=float(np.linalg.norm(flat)), count=int(flat.size),
                shape=str(list(values.shape)))


def hinge_values(embeddings, margin):
    q, p, n = embeddings.detach().chunk(3, dim=0)
    return (margin + ((q - p) ** 2).sum(1) - ((q - n) ** 2).sum(1)).numpy()


# MARK: - One batch through each network


def write_network(root, preset):
    torch.manual_seed(0)  # only for construction; every value is overwritten
    model = MultiScaleTwin(PRESETS[preset]).double()
    load(model, drawn_parameters(model))
    b = BATCH_TRIPLETS[preset]
    x, m = images("x", preset, b), dropout_mask("mask", preset, b)
    model.train()
    embeddings = model(x, m)
    loss = triplet_loss(embeddings, MARGIN)
    grads = torch.autograd.grad(loss, list(model.parameters()))
    hinge = hinge_values(embeddings, MARGIN)

    # The same in float32, to show how far float32 rounding alone moves each value.
    model32 = MultiScaleTwin(PRESETS[preset])
    load(model32, drawn_parameters(model32))
    e32 = model32(x.float(), m.float())
    grads32 = torch.autograd.grad(triplet_loss(e32, MARGIN), list(model32.parameters()))

    group = root.create_group(preset)
    group.create_dataset("embeddings", data=embeddings.detach().numpy().astype(np.float32))
    group.create_dataset("loss", data=np.float32(loss.item()))
    ggroup = group.create_group("grads")
    worst = 0.0
    for (name, _), grad, grad32 in zip(model.named_parameters(), grads, grads32):
        write_summary(ggroup, name, grad)
        worst = max(worst, float((grad32.double() - grad).norm() / grad.norm()))
    e_err = float((e32.detach().double() - embeddings.detach()).abs().max())
    write_attrs(group, batch_triplets=b, margin=MARGIN, dropout_keep=KEEP,
                active_count=int((hinge > 0).sum()), min_hinge_distance=float(np.abs(hinge).min()),
                kept_fraction=float(m.mean()), float32_embedding_max_error=e_err,
                float32_worst_grad_relative_error=worst)
    print(f"  {preset}: loss {loss.item():.6f}, {int((hinge > 0).sum())}/{b} active, "
          f"min |hinge| {np.abs(hinge).min():.3e}; float32 PyTorch: embeddings max error {e_err:.2e}, "
          f"worst gradient relative L2 error {worst:.2e}")


# MARK: - SGD across the learning-rate decay


def rate(step):
    """`LearningRateShape.stepDecay` for SGD_STEPS steps."""
    r = SGD["lr"]
    if step >= SGD_STEPS // 2:
        r *= SGD["decay_factor"]
    if step >= 3 * SGD_STEPS // 4:
        r *= SGD["decay_factor"]
    return r


def sgd_run(nesterov):
    preset, b = "reference", BATCH_TRIPLETS["reference"]
    model = MultiScaleTwin(PRESETS[preset]).double()
    load(model, drawn_parameters(model))
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    optimizer = torch.optim.SGD(model.parameters(), lr=SGD["lr"], momentum=SGD["momentum"],
                                weight_decay=SGD["weight_decay"], nesterov=nesterov)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(
        optimizer, milestones=[SGD_STEPS // 2, 3 * SGD_STEPS // 4], gamma=SGD["decay_factor"])
    losses, rates = [], []
    for step in range(SGD_STEPS):
        rates.append(optimizer.param_groups[0]["lr"])
        assert abs(rates[-1] - rate(step)) < 1e-15
        optimizer.zero_grad()
        loss = triplet_loss(model(images(f"x/step{step}", preset, b), dropout_mask(f"mask/step{step}", preset, b)),
                            MARGIN)
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    by_hand = sgd_by_hand(nesterov)
    for name, p in model.named_parameters():
        assert torch.allclose(p, by_hand[name], rtol=1e-10, atol=1e-13), name
    deltas = {name: p.detach() - before[name] for name, p in model.named_parameters()}
    return deltas, losses, rates


def sgd_by_hand(nesterov):
    """torch.optim.SGD's update written out: g = grad + wd * w; v = g on the first
    step, then v = momentum * v + g; w -= lr * (g + momentum * v) with Nesterov,
    lr * v without. The rate multiplies the whole step (PyTorch's placement);
    Caffe's would be v = momentum * v + lr * g, w -= v, which differs once the
    rate changes."""
    preset, b = "reference", BATCH_TRIPLETS["reference"]
    model = MultiScaleTwin(PRESETS[preset]).double()
    load(model, drawn_parameters(model))
    velocity = {}
    for step in range(SGD_STEPS):
        loss = triplet_loss(model(images(f"x/step{step}", preset, b), dropout_mask(f"mask/step{step}", preset, b)),
                            MARGIN)
        grads = torch.autograd.grad(loss, list(model.parameters()))
        with torch.no_grad():
            for (name, p), grad in zip(model.named_parameters(), grads):
                g = grad + SGD["weight_decay"] * p
                velocity[name] = g.clone() if name not in velocity else SGD["momentum"] * velocity[name] + g
                p -= rate(step) * (g + SGD["momentum"] * velocity[name] if nesterov else velocity[name])
    return dict(model.named_parameters())


def write_sgd(root):
    sgd = root.create_group("sgd")
    write_attrs(sgd, preset="reference", batch_triplets=BATCH_TRIPLETS["reference"], steps=SGD_STEPS,
                margin=MARGIN, dropout_keep=KEEP, learning_rate=SGD["lr"], momentum=SGD["momentum"],
                weight_decay=SGD["weight_decay"], decay_factor=SGD["decay_factor"], dampening=0.0)
    for variant, nesterov in (("nesterov", True), ("momentum", False)):
        deltas, losses, rates = sgd_run(nesterov)
        group = sgd.create_group(variant)
        group.create_dataset("losses", data=np.array(losses, dtype=np.float32))
        group.create_dataset("learning_rates", data=np.array(rates, dtype=np.float64))
        dgroup = group.create_group("deltas")
        for name, delta in deltas.items():
            write_summary(dgroup, name, delta)
        write_attrs(group, nesterov=nesterov)
        print(f"  sgd/{variant}: losses {np.round(losses, 6).tolist()}, rates {rates}")


# MARK: - Initialiser statistics


def init_functions():
    """PyTorch's initialisers as `Initializer` names them: (weight, bias) fillers.
    `pytorchDefault` is the layer's own `reset_parameters`."""
    def zero(bias):
        torch.nn.init.zeros_(bias)
    return {
        "pytorchDefault": None,
        "kaimingNormal": (lambda w: torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu"), zero),
        "xavierUniform": (lambda w: torch.nn.init.xavier_uniform_(w), zero),
    }


def statistics(samples):
    samples = samples.astype(np.float64)
    std = float(samples.std())
    return dict(count=int(samples.size), mean=float(samples.mean()), std=std,
                max_abs=float(np.abs(samples).max()),
                fraction_beyond_std=float((np.abs(samples) > std).mean()) if std > 0 else 0.0)


def write_init(root):
    torch.manual_seed(20140623)
    init = root.create_group("init")
    for preset in PRESETS:
        model = MultiScaleTwin(PRESETS[preset])
        for initializer, fillers in init_functions().items():
            group = init.create_group(f"{preset}/{initializer}")
            for name, p in model.named_parameters():
                layer = model.get_submodule(name.rsplit(".", 1)[0])
                draws = []
                while sum(d.size for d in draws) < INIT_MIN_SAMPLES:
                    with torch.no_grad():
                        if fillers is None:
                            layer.reset_parameters()
                        elif name.endswith(".weight"):
                            fillers[0](layer.weight)
                        else:
                            fillers[1](layer.bias)
                    draws.append(p.detach().numpy().reshape(-1).copy())
                    if fillers is not None and name.endswith(".bias"):
                        break  # a constant: one draw says everything
                sub = group.create_group(name)
                write_attrs(sub, draws=len(draws), **statistics(np.concatenate(draws)))
    print(f"  init: {len(PRESETS)} networks x {len(init_functions())} initialisers, "
          f"at least {INIT_MIN_SAMPLES} draws per parameter")


# MARK: - A PyTorch network exported and loaded through init_from


def write_init_from(root):
    """The paper-sized twin with drawn parameters, exported twice with
    export_torch_weights.py: from a `torch.save` state dict and from the numpy
    archive of the same draws (the route the Swift test takes without torch). The
    two must hold the same tensors. Stores the twin's inference embeddings of six
    drawn images (`x/eval`)."""
    preset, count = "paper-sized", 6
    model = MultiScaleTwin(PRESETS[preset]).double()
    load(model, drawn_parameters(model))
    model.eval()
    with torch.no_grad():
        embeddings = model(images("x/eval", preset, count // 3))
    exporter = os.path.join(os.path.dirname(os.path.abspath(__file__)), "export_torch_weights.py")
    with tempfile.TemporaryDirectory() as tmp:
        torch.save({name: p.detach().float() for name, p in model.named_parameters()}, os.path.join(tmp, "twin.pt"))
        np.savez(os.path.join(tmp, "twin.npz"), **state_dict(PRESETS[preset]))
        exported = []
        for source in ("twin.pt", "twin.npz"):
            out = os.path.join(tmp, source + ".h5")
            subprocess.run([sys.executable, exporter, os.path.join(tmp, source), "--out", out, "--network", preset],
                           check=True, stdout=subprocess.DEVNULL)
            with h5py.File(out, "r") as f:
                exported.append({name: f[name][()] for name in f})
    assert exported[0].keys() == exported[1].keys() and all(
        np.array_equal(exported[0][name], exported[1][name]) for name in exported[0]), \
        "the torch and numpy routes exported different tensors"
    group = root.create_group(f"init_from/{preset}")
    group.create_dataset("embeddings", data=embeddings.numpy().astype(np.float32))
    write_attrs(group, images_name="x/eval", count=count)
    print(f"  init_from/{preset}: exported from torch.save and from .npz: the same {len(exported[0])} tensors")


# MARK: - Main


def main():
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    path = os.path.normpath(OUTPUT)
    if sys.argv[1:] == ["--only-init-from"]:  # rewrite that group alone, keeping the rest
        with h5py.File(path, "a") as f:
            if "init_from" in f:
                del f["init_from"]
            write_init_from(f)
        return 0
    with h5py.File(path, "w", libver=("v108", "v108")) as f:
        write_attrs(f, generator=GENERATOR, torch_version=str(torch.__version__),
                    numpy_version=np.__version__, h5py_version=h5py.__version__,
                    hdf5_version=h5py.version.hdf5_version, python_version=platform.python_version(),
                    margin=MARGIN, dropout_keep=KEEP, sample_target=SAMPLE_TARGET)
        networks = f.create_group("networks")
        for preset in PRESETS:
            write_network(networks, preset)
        write_sgd(f)
        write_init(f)
        write_init_from(f)
    print(f"wrote {path} ({os.path.getsize(path):,} bytes)")


if __name__ == "__main__":
    sys.exit(main())
