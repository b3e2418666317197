#!/usr/bin/env python3
"""Writes Tests/Fixtures/torch-reference.h5: PyTorch reference values for the
Swift engine's layers (forward and backward), the triplet and squared-error losses, and a tiny
multi-scale network (the paper's; README, "The paper in brief") with its
gradients and three SGD steps with and without Nesterov momentum.

Every input is drawn as float32 from one seeded numpy Generator, computed in
float64 by PyTorch, and stored as float32. Layouts are PyTorch's: tensors NCHW,
conv weight [Cout, Cin, kh, kw], linear weight [out, in]. For each layer case
the backward values are the gradients of sum(y * dy) for a random dy.

Run from the repository root:
    /opt/refenv/bin/python Tests/Reference/make_torch_fixtures.py
"""

import math
import os
import platform
import sys

import h5py
import numpy as np
import torch
import torch.nn.functional as F

from bench_torch import MultiScaleNet, triplet_loss

SEED = 20140623
GENERATOR = "Tests/Reference/make_torch_fixtures.py"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "torch-reference.h5")

# Distance from a ReLU, max-pool or hinge decision below which float32 rounding
# on the Swift side could take the other branch; the fixture is rejected if any
# decision in the tiny network is closer than this.
DECISION_MARGIN = 1e-5
HINGE_MARGIN = 1e-3

rng = np.random.default_rng(SEED)


# MARK: - Drawing values


def normal(*shape):
    return rng.standard_normal(shape, dtype=np.float32)


def uniform(bound, *shape):
    return rng.uniform(-bound, bound, shape).astype(np.float32)


def t64(array, grad=False):
    return torch.tensor(array, dtype=torch.float64, requires_grad=grad)


def f32(tensor):
    return tensor.detach().numpy().astype(np.float32)


def write(group, name, array):
    group.create_dataset(name, data=np.asarray(array))


def write_attrs(group, **attrs):
    for key, value in attrs.items():
        if isinstance(value, bool):
            value = np.int64(int(value))
        elif isinstance(value, int):
            value = np.int64(value)
        elif isinstance(value, float):
            value = np.float64(value)
        elif isinstance(value, str):
            value = str(value)  # torch.__version__ is a str subclass h5py can't store
        group.attrs[key] = value


# MARK: - Layer cases


def layer_case(root, name, fn, inputs, grad_names, **attrs):
    """Runs y = fn(**inputs) in float64 and stores the inputs, y, dy and the
    gradients of sum(y * dy) w.r.t. the inputs listed in grad_names (stored as
    'd' + name). Also checks those gradients with torch.autograd.gradcheck."""
    tensors = {k: t64(v, grad=k in grad_names) for k, v in inputs.items()}
    y = fn(**tensors)
    dy = normal(*y.shape)
    differentiated = [tensors[k] for k in grad_names]
    grads = torch.autograd.grad(y, differentiated, t64(dy))

    def fn_of_differentiated(*args):
        return fn(**{**tensors, **dict(zip(grad_names, args))})

    assert torch.autograd.gradcheck(fn_of_differentiated, differentiated), name

    group = root.create_group(name)
    for key, value in inputs.items():
        write(group, key, value)
    write(group, "y", f32(y))
    write(group, "dy", dy)
    for key, grad in zip(grad_names, grads):
        write(group, "d" + key, f32(grad))
    write_attrs(group, **attrs)
    return group


def conv_case(root, name, x_shape, w_shape, stride, padding):
    fan_in = w_shape[1] * w_shape[2] * w_shape[3]
    bound = 1 / math.sqrt(fan_in)
    inputs = dict(x=normal(*x_shape), weight=uniform(bound, *w_shape), bias=uniform(bound, w_shape[0]))
    layer_case(root, name,
               lambda x, weight, bias: F.conv2d(x, weight, bias, stride=stride, padding=padding),
               inputs, ["x", "weight", "bias"], op="conv2d", stride=stride, padding=padding)


def max_pool_gap(x, kernel, stride, padding):
    """Smallest gap between the largest and second-largest value of any pooling
    window (padding counts as -inf)."""
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)),
                    constant_values=-np.inf)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kernel, kernel), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride].reshape(*windows.shape[:2], -1, kernel * kernel)
    top2 = np.sort(windows, axis=-1)[..., -2:]
    return float(np.min(top2[..., 1] - top2[..., 0]))


def maxpool_case(root, name, x_shape, kernel, stride, padding):
    x = normal(*x_shape)
    gap = max_pool_gap(x, kernel, stride, padding)
    assert gap > 0, f"{name}: tie in a pooling window"
    layer_case(root, name,
               lambda x: F.max_pool2d(x, kernel, stride=stride, padding=padding),
               dict(x=x), ["x"], op="max_pool2d", kernel=kernel, stride=stride, padding=padding,
               min_window_gap=gap)


def avgpool_case(root, name, x_shape, kernel, stride):
    layer_case(root, name,
               lambda x: F.avg_pool2d(x, kernel, stride=stride),
               dict(x=normal(*x_shape)), ["x"], op="avg_pool2d", kernel=kernel, stride=stride, padding=0)


def lrn_by_formula(x, size, alpha, beta, k):
    """Local response normalisation across channels, written out:
    y_c = x_c / (k + alpha/size * sum_{c' in window(c)} x_c'^2)^beta, window
    [c - size//2, c + (size-1)//2] clipped to the channels."""
    n, channels = x.shape[:2]
    y = np.empty_like(x)
    for c in range(channels):
        lo, hi = max(0, c - size // 2), min(channels - 1, c + (size - 1) // 2)
        s = (x[:, lo:hi + 1] ** 2).sum(axis=1)
        y[:, c] = x[:, c] / (k + alpha / size * s) ** beta
    return y


def lrn_case(root, name, x_shape, size, alpha, beta, k):
    lrn = torch.nn.LocalResponseNorm(size=size, alpha=alpha, beta=beta, k=k)
    group = layer_case(root, name, lambda x: lrn(x), dict(x=normal(*x_shape)), ["x"],
                       op="local_response_norm", size=size, alpha=alpha, beta=beta, k=k,
                       alpha_divided_by_size=1)
    formula = lrn_by_formula(group["x"][()].astype(np.float64), size, alpha, beta, k)
    assert np.allclose(formula, group["y"][()], rtol=1e-6, atol=1e-7), name


def triplet_case(root, name, batch, dim, margin):
    """Embeddings with some triplets active and some not, none within
    HINGE_MARGIN of the kink."""
    while True:
        e = normal(3 * batch, dim) * np.float32(0.5)
        q, p, n = e.astype(np.float64).reshape(3, batch, dim)
        hinge = margin + ((q - p) ** 2).sum(1) - ((q - n) ** 2).sum(1)
        active = int((hinge > 0).sum())
        if 0 < active < batch and np.all(np.abs(hinge) > HINGE_MARGIN):
            break

    embeddings = t64(e, grad=True)
    loss = triplet_loss(embeddings, margin)
    (grad,) = torch.autograd.grad(loss, embeddings)
    assert torch.autograd.gradcheck(lambda x: triplet_loss(x, margin), (embeddings,))

    # The same loss as a plain loop.
    total = 0.0
    for i in range(batch):
        d_pos = sum((float(e[i, j]) - float(e[batch + i, j])) ** 2 for j in range(dim))
        d_neg = sum((float(e[i, j]) - float(e[2 * batch + i, j])) ** 2 for j in range(dim))
        total += max(0.0, margin + d_pos - d_neg)
    assert abs(total / batch - loss.item()) < 1e-12, name

    group = root.create_group(name)
    write(group, "embeddings", e)
    write(group, "loss", np.float32(loss.item()))
    write(group, "dembeddings", f32(grad))
    write_attrs(group, op="triplet_hinge_squared", margin=margin, batch=batch, dim=dim,
                active_count=active, layout="q_0..q_{B-1}, p_0..p_{B-1}, n_0..n_{B-1}",
                min_hinge_distance=float(np.min(np.abs(hinge))))


def softmax_ce_case(root, name, batch, classes):
    logits = normal(batch, classes)
    labels = rng.integers(0, classes, batch).astype(np.int64)
    x = t64(logits, grad=True)
    loss = F.cross_entropy(x, torch.tensor(labels), reduction="mean")
    (grad,) = torch.autograd.grad(loss, x)
    shifted = logits.astype(np.float64) - logits.max(1, keepdims=True)
    by_hand = np.mean(np.log(np.exp(shifted).sum(1)) - shifted[np.arange(batch), labels])
    assert abs(by_hand - loss.item()) < 1e-12, name

    group = root.create_group(name)
    write(group, "logits", logits)
    write(group, "labels", labels)
    write(group, "loss", np.float32(loss.item()))
    write(group, "dlogits", f32(grad))
    write_attrs(group, op="softmax_cross_entropy", reduction="mean")


def squared_error_case(root, name, batch, width):
    # Its own generator, so the draws of every case written before it stay as they were.
    local = np.random.default_rng(SEED + 1)
    outputs = local.standard_normal((batch, width), dtype=np.float32)
    targets = local.standard_normal((batch, width), dtype=np.float32)
    y = t64(outputs, grad=True)
    loss = F.mse_loss(y, t64(targets), reduction="sum") / batch
    (grad,) = torch.autograd.grad(loss, y)

    group = root.create_group(name)
    write(group, "outputs", outputs)
    write(group, "targets", targets)
    write(group, "loss", np.float32(loss.item()))
    write(group, "doutputs", f32(grad))
    write_attrs(group, op="squared_error", reduction="sum over each row, mean over rows")


def write_layers(root):
    layers = root.create_group("layers")
    conv_case(layers, "conv_k3_s1_p1", (2, 3, 7, 7), (4, 3, 3, 3), stride=1, padding=1)
    conv_case(layers, "conv_k5_s2_p2", (2, 3, 9, 9), (5, 3, 5, 5), stride=2, padding=2)
    conv_case(layers, "conv_k3_s2_p0", (2, 4, 8, 8), (3, 4, 3, 3), stride=2, padding=0)
    conv_case(layers, "conv_k8_s4_p0", (2, 3, 17, 17), (6, 3, 8, 8), stride=4, padding=0)
    maxpool_case(layers, "maxpool_k2_s2", (2, 3, 8, 8), kernel=2, stride=2, padding=0)
    maxpool_case(layers, "maxpool_k3_s2", (2, 3, 9, 9), kernel=3, stride=2, padding=0)
    maxpool_case(layers, "maxpool_k3_s2_p1", (2, 3, 8, 8), kernel=3, stride=2, padding=1)
    avgpool_case(layers, "avgpool_k4_s4", (2, 3, 16, 16), kernel=4, stride=4)
    avgpool_case(layers, "avgpool_k8_s8", (2, 3, 16, 16), kernel=8, stride=8)

    x = normal(2, 3, 5, 5)
    x = np.where(np.abs(x) < 1e-3, np.copysign(np.float32(0.5), x), x)
    layer_case(layers, "relu", lambda x: F.relu(x), dict(x=x), ["x"], op="relu")

    lrn_case(layers, "lrn_alexnet", (2, 8, 4, 4), size=5, alpha=1e-4, beta=0.75, k=2.0)
    lrn_case(layers, "lrn_strong", (2, 7, 3, 3), size=3, alpha=0.5, beta=0.75, k=1.0)

    bound = 1 / math.sqrt(10)
    layer_case(layers, "linear", lambda x, weight, bias: F.linear(x, weight, bias),
               dict(x=normal(4, 10), weight=uniform(bound, 6, 10), bias=uniform(bound, 6)),
               ["x", "weight", "bias"], op="linear")

    layer_case(layers, "concat", lambda a, b: torch.cat([a, b], dim=1),
               dict(a=normal(2, 3, 2, 2), b=normal(2, 5, 2, 2)), ["a", "b"], op="concat", dim=1)
    layer_case(layers, "l2norm", lambda x: F.normalize(x, dim=1, eps=1e-12),
               dict(x=normal(4, 7)), ["x"], op="l2_normalize", dim=1, eps=1e-12)
    softmax_ce_case(layers, "softmax_ce", batch=5, classes=4)
    triplet_case(layers, "triplet", batch=6, dim=5, margin=0.2)
    squared_error_case(layers, "squared_error", batch=5, width=7)


# MARK: - Tiny multi-scale network

CONFIG = dict(input_size=16, deep_channels=(4, 8, 8), deep_fc=16, shallow_channels=4,
              embedding=8, dropout_keep=1.0)
BATCH_TRIPLETS = 2
MARGIN = 0.2
PARAM_NAMES = [
    "deep.conv1.weight", "deep.conv1.bias", "deep.conv2.weight", "deep.conv2.bias",
    "deep.conv3.weight", "deep.conv3.bias", "deep.fc.weight", "deep.fc.bias",
    "shallow_a.conv.weight", "shallow_a.conv.bias", "shallow_b.conv.weight", "shallow_b.conv.bias",
    "embed.weight", "embed.bias",
]


def tiny_net():
    model = MultiScaleNet(**CONFIG).double()
    assert list(dict(model.named_parameters())) == PARAM_NAMES
    return model


def initial_params(model):
    """float32 draws, uniform in +-1/sqrt(fan_in) of the layer (weight and bias),
    in PARAM_NAMES order."""
    params = {}
    for name in PARAM_NAMES:
        layer = model.get_submodule(name.rsplit(".", 1)[0])
        fan_in = layer.weight[0].numel()
        params[name] = uniform(1 / math.sqrt(fan_in), *layer.get_parameter(name.rsplit(".", 1)[1]).shape)
    return params


def load(model, params):
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(t64(params[name]))


class DecisionMonitor:
    """Records, over every forward pass of the model, how far each branch decision
    is from flipping, so that float32 rounding on the Swift side cannot take the
    other branch. Every ReLU here feeds a 2x2 max-pool (except the deep fc), so for
    a pool window with sorted pre-activations z1 >= z2 >= ...: if z1 > 0 the
    gradient goes to z1, safe while z1 and z1 - z2 are both clear of 0; if z1 <= 0
    the window is 0 with no gradient, safe while -z1 is clear of 0. For the fc,
    |z|. The hinge is tracked separately (|margin + d+ - d-|)."""

    def __init__(self, model):
        self.relu_pool = math.inf
        self.hinge = math.inf
        layers = [model.deep.conv1, model.deep.conv2, model.deep.conv3, model.deep.fc,
                  model.shallow_a.conv, model.shallow_b.conv]
        self.handles = [m.register_forward_hook(self.hook) for m in layers]

    def hook(self, module, inputs, output):
        z = output.detach().numpy()
        if z.ndim == 2:
            self.relu_pool = min(self.relu_pool, float(np.min(np.abs(z))))
            return
        n, c, h, w = z.shape
        windows = z.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, -1, 4)
        top2 = np.sort(windows, axis=-1)[..., -2:]
        z1, z2 = top2[..., 1], top2[..., 0]
        distance = np.where(z1 > 0, np.minimum(z1, z1 - z2), -z1)
        self.relu_pool = min(self.relu_pool, float(np.min(distance)))

    def loss(self, embeddings):
        q, p, n = embeddings.detach().numpy().reshape(3, BATCH_TRIPLETS, -1)
        hinge = MARGIN + ((q - p) ** 2).sum(1) - ((q - n) ** 2).sum(1)
        self.hinge = min(self.hinge, float(np.min(np.abs(hinge))))
        return int((hinge > 0).sum())

    def check(self):
        for h in self.handles:
            h.remove()
        assert self.relu_pool > DECISION_MARGIN, \
            f"a ReLU/max-pool decision is {self.relu_pool:.2e} from flipping"
        assert self.hinge > HINGE_MARGIN, f"triplet hinge {self.hinge} too close to the kink"


def sgd_by_hand(params, x, nesterov, steps, lr, momentum, weight_decay):
    """torch.optim.SGD's update written out, to pin down its semantics:
    g = grad + weight_decay * p; v = g on the first step, else momentum * v + g;
    p -= lr * (g + momentum * v) with Nesterov, lr * v without."""
    model = tiny_net()
    load(model, params)
    velocity = {}
    for _ in range(steps):
        grads = torch.autograd.grad(triplet_loss(model(x), MARGIN), list(model.parameters()))
        with torch.no_grad():
            for (name, p), grad in zip(model.named_parameters(), grads):
                g = grad + weight_decay * p
                velocity[name] = g.clone() if name not in velocity else momentum * velocity[name] + g
                p -= lr * (g + momentum * velocity[name] if nesterov else velocity[name])
    return dict(model.named_parameters())


def sgd_steps(params, x, nesterov, steps=3, lr=0.1, momentum=0.9, weight_decay=0.001):
    model = tiny_net()
    load(model, params)
    monitor = DecisionMonitor(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum,
                                weight_decay=weight_decay, nesterov=nesterov)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        embeddings = model(x)
        monitor.loss(embeddings)
        loss = triplet_loss(embeddings, MARGIN)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        embeddings = model(x)
        monitor.loss(embeddings)
        loss_after = triplet_loss(embeddings, MARGIN).item()
    monitor.check()
    by_hand = sgd_by_hand(params, x, nesterov, steps, lr, momentum, weight_decay)
    for name, p in model.named_parameters():
        assert torch.allclose(p, by_hand[name], rtol=1e-10, atol=1e-12), name
    after = {name: f32(p) for name, p in model.named_parameters()}
    config = dict(lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=int(nesterov),
                  steps=steps, dampening=0.0)
    return after, np.array(losses, dtype=np.float32), loss_after, config, monitor


def write_multiscale(root):
    model = tiny_net()
    params = initial_params(model)
    load(model, params)
    images = 3 * BATCH_TRIPLETS
    x_np = normal(images, 3, CONFIG["input_size"], CONFIG["input_size"])
    x = t64(x_np)

    monitor = DecisionMonitor(model)
    embeddings = model(x)
    active = monitor.loss(embeddings)
    loss = triplet_loss(embeddings, MARGIN)
    grads = torch.autograd.grad(loss, list(model.parameters()))
    monitor.check()
    assert loss.item() > 0 and active > 0

    # Gradcheck of the loss w.r.t. every parameter, in float64.
    names = list(dict(model.named_parameters()))

    def loss_of(*values):
        out = torch.func.functional_call(model, dict(zip(names, values)), (x,))
        return triplet_loss(out, MARGIN)

    leaves = tuple(p.detach().clone().requires_grad_(True) for p in model.parameters())
    assert torch.autograd.gradcheck(loss_of, leaves), "multiscale gradcheck"

    group = root.create_group("multiscale")
    write(group, "x", x_np)
    pgroup, ggroup = group.create_group("params"), group.create_group("grads")
    for name, grad in zip(names, grads):
        write(pgroup, name, params[name])
        write(ggroup, name, f32(grad))
    write(group, "embeddings", f32(embeddings))
    write(group, "loss", np.float32(loss.item()))
    write_attrs(group, input_size=CONFIG["input_size"], batch_triplets=BATCH_TRIPLETS,
                layout="q_0, q_1, p_0, p_1, n_0, n_1", margin=MARGIN,
                embedding=CONFIG["embedding"], deep_channels=str(CONFIG["deep_channels"]),
                deep_fc=CONFIG["deep_fc"], shallow_channels=CONFIG["shallow_channels"],
                shallow_subsample="4, 8", dropout_keep=CONFIG["dropout_keep"], l2_eps=1e-12,
                embed_input_order="deep (16), shallow_a (16), shallow_b (4)",
                active_count=active, min_relu_pool_distance=monitor.relu_pool,
                min_hinge_distance=monitor.hinge)

    summaries = {}
    for key, nesterov in (("sgd_momentum", False), ("sgd_nesterov", True)):
        after, losses, loss_after, config, mon = sgd_steps(params, x, nesterov)
        sub = group.create_group(key)
        agroup = sub.create_group("params_after")
        for name in PARAM_NAMES:
            write(agroup, name, after[name])
        write(sub, "losses", losses)
        write(sub, "loss_after", np.float32(loss_after))
        write_attrs(sub, **config, min_relu_pool_distance=mon.relu_pool,
                    min_hinge_distance=mon.hinge)
        summaries[key] = (losses, loss_after)
    return loss.item(), active, monitor, summaries


# MARK: - Main


def main():
    torch.set_num_threads(1)
    path = os.path.normpath(OUTPUT)
    # 1.8 file format: compact groups keep the file small, and any libhdf5 >= 1.8 reads it.
    with h5py.File(path, "w", libver=("v108", "v108")) as f:
        write_attrs(f, generator=GENERATOR, torch_version=torch.__version__,
                    numpy_version=np.__version__, h5py_version=h5py.__version__,
                    hdf5_version=h5py.version.hdf5_version,
                    python_version=platform.python_version(), seed=SEED)
        write_layers(f)
        loss, active, monitor, summaries = write_multiscale(f)

    with h5py.File(path, "r") as f:
        print(f"wrote {path} ({os.path.getsize(path):,} bytes), seed {SEED}")
        for name, case in f["layers"].items():
            shapes = ", ".join(f"{k} {list(v.shape)}" for k, v in case.items())
            print(f"  layers/{name}: {shapes}")
        print(f"  multiscale: loss {loss:.6f}, {active}/{BATCH_TRIPLETS} triplets active, "
              f"min ReLU/pool decision distance {monitor.relu_pool:.2e}, "
              f"min hinge distance {monitor.hinge:.2e}")
        for key, (losses, loss_after) in summaries.items():
            print(f"  multiscale/{key}: losses {np.round(losses, 6).tolist()}, after {loss_after:.6f}")


if __name__ == "__main__":
    sys.exit(main())
