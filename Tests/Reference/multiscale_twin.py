"""The PyTorch twin of the Swift engine's `MultiScaleNetwork` for any
`MultiScaleConfig`: the same layers in the same order, with the same parameter
names (`deep.conv<i>.weight`, `deep.fc.bias`, `shallow_a.conv.weight`,
`embed.weight`, ...), so a state dict maps one to one onto the Swift
`ParameterStore`.

  deep part   per stage: conv (ReLU), [LRN size 5, alpha 1e-4, beta 0.75, k 2],
              [max-pool kernel/stride]; flatten, linear `deep_features`, ReLU,
              dropout (keep `dropout_keep`), L2-normalise
  shallow     per part: average-pool `subsample`, one stage as above, flatten;
              parts concatenated and L2-normalised
  embedding   L2-normalise(linear(cat(deep, shallow)) -> `embedding`)
  no shallow parts: the output is the deep part's normalised features (the
  paper's single-scale model).

Dropout takes its mask from the caller when one is given (`forward(x, mask)`):
`mask` is [N, deep_features] of 0 or 1, and kept values are scaled by
1 / keep, as the Swift `Dropout` does. `PRESETS` holds the configurations of
`MultiScaleConfig.reference` and `MultiScaleConfig.paperSized`.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from network_presets import PRESETS, stage_output_size  # noqa: F401 (PRESETS is re-exported)

L2_EPS = 1e-12


def conv_for(in_channels, s):
    return nn.Conv2d(in_channels, s["channels"], s["kernel"], stride=s["stride"], padding=s["padding"])


def run_stage(conv, s, x):
    """conv -> ReLU -> [LRN] -> [max-pool] of stage `s`."""
    x = F.relu(conv(x))
    if s["lrn"]:
        x = F.local_response_norm(x, 5, alpha=1e-4, beta=0.75, k=2.0)
    if s["pool_kernel"] is None:
        return x
    return F.max_pool2d(x, s["pool_kernel"], s["pool_stride"] or s["pool_kernel"])


class DeepPart(nn.Module):
    """The ConvNet part: `conv1`, `conv2`, ... then `fc` (so the names are
    `deep.conv1.weight`, ... as in Swift)."""

    def __init__(self, config):
        super().__init__()
        channels, size = 3, config["input_size"]
        self.stages = config["deep_stages"]
        for i, s in enumerate(self.stages):
            setattr(self, f"conv{i + 1}", conv_for(channels, s))
            channels, size = s["channels"], stage_output_size(s, size)
        self.flattened = channels * size * size
        self.fc = nn.Linear(self.flattened, config["deep_features"])
        self.keep = config["dropout_keep"]

    def forward(self, x, mask=None):
        for i, s in enumerate(self.stages):
            x = run_stage(getattr(self, f"conv{i + 1}"), s, x)
        x = F.relu(self.fc(torch.flatten(x, 1)))
        if mask is not None:
            x = x * mask / self.keep
        return F.normalize(x, dim=1, eps=L2_EPS)


class ShallowPart(nn.Module):
    def __init__(self, subsample, s):
        super().__init__()
        self.subsample, self.stage = subsample, s
        self.conv = conv_for(3, s)

    def forward(self, x):
        return torch.flatten(run_stage(self.conv, self.stage, F.avg_pool2d(x, self.subsample)), 1)


class MultiScaleTwin(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.deep = DeepPart(config)
        self.shallow_names = []
        width = 0
        for i, (subsample, s) in enumerate(config["shallow_parts"]):
            name = "shallow_" + "abcdefghijklmnopqrstuvwxyz"[i]
            setattr(self, name, ShallowPart(subsample, s))
            self.shallow_names.append(name)
            size = stage_output_size(s, config["input_size"] // subsample)
            width += s["channels"] * size * size
        self.embed = (nn.Linear(config["deep_features"] + width, config["embedding"])
                      if self.shallow_names else None)

    def forward(self, x, mask=None):
        deep = self.deep(x, mask)
        if self.embed is None:
            return deep
        shallow = torch.cat([getattr(self, name)(x) for name in self.shallow_names], dim=1)
        shallow = F.normalize(shallow, dim=1, eps=L2_EPS)
        return F.normalize(self.embed(torch.cat([deep, shallow], dim=1)), dim=1, eps=L2_EPS)

    def parameter_names(self):
        """Parameter names in the Swift store's order: deep, shallow parts, embed."""
        return [name for name, _ in self.named_parameters()]


def triplet_loss(embeddings, margin):
    """mean_i max(0, margin + |q_i - p_i|^2 - |q_i - n_i|^2) over embeddings
    [3B, D] laid out [q_0..q_{B-1}, p_0.., n_0..] (the Swift `TripletHingeLoss`)."""
    q, p, n = embeddings.chunk(3, dim=0)
    return torch.clamp(margin + ((q - p) ** 2).sum(1) - ((q - n) ** 2).sum(1), min=0).mean()
