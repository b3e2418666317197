"""Network configurations in the format of `multiscale_twin.MultiScaleTwin`, and the
parameter names and shapes they give, without torch (the weights exporter and the
counter-based draws need them where torch is not installed).

`PRESETS` mirrors the Swift `MultiScaleConfig.reference` and `MultiScaleConfig.paperSized`.
"""


def stage(channels, kernel, stride=1, padding=0, pool_kernel=2, pool_stride=None, lrn=False):
    return dict(channels=channels, kernel=kernel, stride=stride, padding=padding,
                pool_kernel=pool_kernel, pool_stride=pool_stride, lrn=lrn)


PRESETS = {
    "reference": dict(
        input_size=64,
        deep_stages=[stage(32, 5, padding=2), stage(64, 3, padding=1), stage(128, 3, padding=1)],
        deep_features=256, dropout_keep=0.6,
        shallow_parts=[(4, stage(32, 3, padding=1)), (8, stage(32, 3, padding=1))],
        embedding=128),
    "paper-sized": dict(
        input_size=225,
        deep_stages=[stage(96, 11, stride=4, pool_kernel=3, pool_stride=2, lrn=True),
                     stage(256, 5, padding=2, pool_kernel=3, pool_stride=2, lrn=True),
                     stage(384, 3, padding=1, pool_kernel=None),
                     stage(384, 3, padding=1, pool_kernel=None),
                     stage(256, 3, padding=1, pool_kernel=3, pool_stride=2)],
        deep_features=4096, dropout_keep=0.6,
        shallow_parts=[(4, stage(96, 8, stride=4, pool_kernel=3, pool_stride=3)),
                       (8, stage(96, 8, stride=4, pool_kernel=3, pool_stride=1))],
        embedding=4096),
}


def stage_output_size(s, size):
    conv = (size + 2 * s["padding"] - s["kernel"]) // s["stride"] + 1
    if s["pool_kernel"] is None:
        return conv
    return (conv - s["pool_kernel"]) // (s["pool_stride"] or s["pool_kernel"]) + 1


def parameter_shapes(config):
    """[(name, shape)] of every parameter in the Swift store's order (deep, shallow
    parts, embed), with PyTorch's layouts."""
    shapes = []
    channels, size = 3, config["input_size"]
    for i, s in enumerate(config["deep_stages"]):
        name = f"deep.conv{i + 1}"
        shapes += [(name + ".weight", (s["channels"], channels, s["kernel"], s["kernel"])),
                   (name + ".bias", (s["channels"],))]
        channels, size = s["channels"], stage_output_size(s, size)
    shapes += [("deep.fc.weight", (config["deep_features"], channels * size * size)),
               ("deep.fc.bias", (config["deep_features"],))]
    width = 0
    for i, (subsample, s) in enumerate(config["shallow_parts"]):
        name = "shallow_" + "abcdefghijklmnopqrstuvwxyz"[i] + ".conv"
        shapes += [(name + ".weight", (s["channels"], 3, s["kernel"], s["kernel"])), (name + ".bias", (s["channels"],))]
        out = stage_output_size(s, config["input_size"] // subsample)
        width += s["channels"] * out * out
    if config["shallow_parts"]:
        shapes += [("embed.weight", (config["embedding"], config["deep_features"] + width)),
                   ("embed.bias", (config["embedding"],))]
    return shapes
