"""Parameter, MAC/FLOP and memory counts of conv, BN and linear layers, and a counter for a stack."""

from __future__ import annotations

from dataclasses import dataclass

from snippets.cnn._checks import check_int
from snippets.cnn.output_size import conv_output_size, pool_output_size


# --8<-- [start:formulas]
def conv2d_params(c_in: int, c_out: int, kernel_size: int, bias: bool = True, groups: int = 1) -> int:
    """Learnable parameters of nn.Conv2d: k*k*(c_in/groups)*c_out weights + c_out biases.

    Args:
        c_in, c_out: input and output channels.
        kernel_size: k of a square k x k kernel.
        bias: whether the layer has a bias.
        groups: channel groups (groups = c_in is a depthwise conv).

    Returns:
        The number of learnable values.
    """
    c_in, c_out = check_int(c_in, "c_in", 1), check_int(c_out, "c_out", 1)
    k, g = check_int(kernel_size, "kernel_size", 1), check_int(groups, "groups", 1)
    if c_in % g or c_out % g:
        raise ValueError(f"groups must divide c_in and c_out, got groups={g}, c_in={c_in}, c_out={c_out}")
    return k * k * (c_in // g) * c_out + (c_out if bias else 0)  # 与特征图大小 H, W 无关


def conv2d_macs(c_in: int, c_out: int, kernel_size: int, h_out: int, w_out: int, groups: int = 1) -> int:
    """Multiply-accumulates of one conv forward pass for one image: each output element costs k*k*c_in/groups.

    Args:
        c_in, c_out, kernel_size, groups: as in conv2d_params.
        h_out, w_out: the output feature map's size.

    Returns:
        MACs (bias additions not counted, like FlopCounterMode).
    """
    weights = conv2d_params(c_in, c_out, kernel_size, bias=False, groups=groups)
    return weights * check_int(h_out, "h_out", 1) * check_int(w_out, "w_out", 1)  # 同一组权重在每个位置各用一次


def linear_params(in_features: int, out_features: int, bias: bool = True) -> int:
    """Learnable parameters of nn.Linear: out*in weights + out biases.

    Args:
        in_features, out_features: W has shape (out_features, in_features).
        bias: whether the layer has a bias.

    Returns:
        The number of learnable values.
    """
    i, o = check_int(in_features, "in_features", 1), check_int(out_features, "out_features", 1)
    return i * o + (o if bias else 0)


def batchnorm2d_counts(c: int) -> tuple[int, int]:
    """Learnable values and buffers of nn.BatchNorm2d(c).

    Args:
        c: channels.

    Returns:
        (learnable, buffers): gamma and beta are learnable (2c); running_mean, running_var (2c)
        and num_batches_tracked (1) are buffers, saved in state_dict but not trained.
    """
    c = check_int(c, "c", 1)
    return 2 * c, 2 * c + 1
# --8<-- [end:formulas]


@dataclass(frozen=True)
class Conv:
    """A k x k nn.Conv2d (groups=1): c_in -> c_out channels."""

    c_in: int
    c_out: int
    kernel_size: int
    stride: int = 1
    padding: int = 0
    bias: bool = True


@dataclass(frozen=True)
class BN:
    """nn.BatchNorm2d over c channels."""

    c: int


@dataclass(frozen=True)
class Pool:
    """A k x k max pooling with the given stride (no parameters)."""

    kernel_size: int
    stride: int


@dataclass(frozen=True)
class FC:
    """nn.Linear(in_features, out_features); flattens a (C, H, W) input first."""

    in_features: int
    out_features: int
    bias: bool = True


@dataclass(frozen=True)
class Count:
    """One row of the counter: output shape (C, H, W) or (F,), learnable parameters, buffers, MACs."""

    layer: str
    out_shape: tuple[int, ...]
    params: int
    buffers: int
    macs: int


# --8<-- [start:counter]
def count_layers(layers: list[Conv | BN | Pool | FC], input_shape: tuple[int, int, int]) -> list[Count]:
    """Walk a plain CNN (ReLU omitted: no parameters, no MACs) and count each layer for one image.

    Args:
        layers: Conv / BN / Pool / FC specs, input to output; an FC after a conv flattens (C*H*W).
        input_shape: (C, H, W) of one image.

    Returns:
        One Count per layer.
    """
    shape: tuple[int, ...] = tuple(check_int(v, "input_shape", 1) for v in input_shape)
    rows = []
    for L in layers:
        if isinstance(L, Conv):
            if shape[0] != L.c_in:
                raise ValueError(f"layers: Conv expects {L.c_in} channels, gets {shape[0]}")
            h, w = (conv_output_size(n, L.kernel_size, L.stride, L.padding) for n in shape[1:])
            shape = (L.c_out, h, w)
            params = conv2d_params(L.c_in, L.c_out, L.kernel_size, L.bias)
            rows.append(Count("conv", shape, params, 0, conv2d_macs(L.c_in, L.c_out, L.kernel_size, h, w)))
        elif isinstance(L, BN):
            learnable, buffers = batchnorm2d_counts(L.c)
            rows.append(Count("bn", shape, learnable, buffers, 0))  # 推理时可并入前一个卷积: 按 0 MACs 计
        elif isinstance(L, Pool):
            shape = (shape[0], *(pool_output_size(n, L.kernel_size, L.stride) for n in shape[1:]))
            rows.append(Count("pool", shape, 0, 0, 0))
        elif isinstance(L, FC):
            n_in = 1
            for v in shape:
                n_in *= v
            if n_in != L.in_features:
                raise ValueError(f"layers: FC expects {L.in_features} inputs, gets {n_in}")
            shape = (L.out_features,)
            params = linear_params(L.in_features, L.out_features, L.bias)
            rows.append(Count("fc", shape, params, 0, L.in_features * L.out_features))
        else:
            raise TypeError(f"layers: unknown layer {L!r}")
    return rows
# --8<-- [end:counter]


# --8<-- [start:memory]
def training_memory_bytes(n_params: int, n_activations: int, batch_size: int, optimizer_states: int = 2,
                          bytes_per_value: int = 4) -> dict[str, int]:
    """A first-order estimate of training memory: weights, gradients, optimizer state, saved activations.

    Args:
        n_params: learnable parameters.
        n_activations: values saved for backward per image (here: every layer's output).
        batch_size: B.
        optimizer_states: extra tensors per parameter (SGD 0, momentum 1, Adam 2).
        bytes_per_value: 4 for float32.

    Returns:
        Bytes per part and the total (ignores framework workspace and allocator fragmentation).
    """
    n_params, n_act = check_int(n_params, "n_params", 0), check_int(n_activations, "n_activations", 0)
    B, s = check_int(batch_size, "batch_size", 1), check_int(optimizer_states, "optimizer_states", 0)
    b = check_int(bytes_per_value, "bytes_per_value", 1)
    parts = {
        "weights": n_params * b,
        "gradients": n_params * b,  # 每个参数一个梯度
        "optimizer": s * n_params * b,  # Adam 的 m 和 v
        "activations": B * n_act * b,  # 反向传播要用的前向结果, 与批大小成正比
    }
    parts["total"] = sum(parts.values())
    return parts
# --8<-- [end:memory]


# --8<-- [start:vgg16]
def vgg16_layers(num_classes: int = 1000, image_size: int = 224) -> list[Conv | BN | Pool | FC]:
    """VGG-16 (configuration D of Simonyan & Zisserman, 2015), no BN.

    Args:
        num_classes: outputs of the last FC layer.
        image_size: side of the square input, a multiple of 32 (224 in the paper).

    Returns:
        13 Conv, 5 Pool and 3 FC specs, input to output.
    """
    cfg: list[int | str] = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    layers: list[Conv | BN | Pool | FC] = []
    c = 3
    for v in cfg:
        if isinstance(v, int):
            layers.append(Conv(c, v, 3, padding=1))  # 3x3, padding 1: 尺寸不变
            c = v
        else:
            layers.append(Pool(2, 2))  # "M": 2x2 最大池化, 尺寸减半
    side = check_int(image_size, "image_size", 32) // 32  # 5 次池化: 224 -> 7
    if image_size % 32:
        raise ValueError(f"image_size must be a multiple of 32, got {image_size}")
    return layers + [FC(512 * side * side, 4096), FC(4096, 4096), FC(4096, check_int(num_classes, "num_classes", 1))]
# --8<-- [end:vgg16]
