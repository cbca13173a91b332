"""Output sizes of convolution, pooling (floor / ceil mode) and transposed convolution, PyTorch's rules."""

from __future__ import annotations

from snippets.cnn._checks import check_int


# --8<-- [start:conv]
def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output length of nn.Conv2d along one axis: floor((size + 2p - d(k-1) - 1) / s) + 1.

    Args:
        size: input length H (or W), >= 1.
        kernel_size, stride, padding, dilation: the layer's arguments along this axis.

    Returns:
        The output length, >= 1.
    """
    size, k = check_int(size, "size", 1), check_int(kernel_size, "kernel_size", 1)
    s, p, d = check_int(stride, "stride", 1), check_int(padding, "padding", 0), check_int(dilation, "dilation", 1)
    span = d * (k - 1) + 1  # 膨胀后的核实际覆盖的长度
    if size + 2 * p < span:
        raise ValueError(f"kernel_size: the dilated kernel spans {span} > size + 2*padding = {size + 2 * p}")
    return (size + 2 * p - span) // s + 1  # 向下取整: 最后放不下一个完整窗口的部分被丢掉
# --8<-- [end:conv]


# --8<-- [start:pool]
def pool_output_size(size: int, kernel_size: int, stride: int | None = None, padding: int = 0,
                     dilation: int = 1, ceil_mode: bool = False) -> int:
    """Output length of nn.MaxPool2d / nn.AvgPool2d along one axis.

    Args:
        size: input length, >= 1.
        kernel_size: window length.
        stride: defaults to kernel_size (non-overlapping windows), as in PyTorch.
        padding: at most kernel_size // 2 (PyTorch's rule).
        dilation: window dilation (MaxPool2d only).
        ceil_mode: round up instead of down, keeping a last partial window.

    Returns:
        The output length, >= 1.
    """
    size, k = check_int(size, "size", 1), check_int(kernel_size, "kernel_size", 1)
    s = k if stride is None else check_int(stride, "stride", 1)
    p, d = check_int(padding, "padding", 0), check_int(dilation, "dilation", 1)
    if p > k // 2:
        raise ValueError(f"padding must be at most kernel_size // 2 = {k // 2}, got {p}")
    num = size + 2 * p - (d * (k - 1) + 1)  # 可以为负: ceil_mode 下窗口比输入还大时仍有一个输出
    out = ((num + s - 1) // s if ceil_mode else num // s) + 1  # // 向负无穷取整, 与 PyTorch 的 div_rtn 相同
    # ceil_mode 多出的最后一个窗口必须从输入或左侧 padding 内开始, 否则丢掉 (PyTorch 的规则)
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    if out < 1:
        raise ValueError(f"kernel_size: a window of {k} (dilation {d}) does not fit an input of {size} + 2*{p}")
    return out
# --8<-- [end:pool]


# --8<-- [start:transposed]
def conv_transpose_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                               output_padding: int = 0, dilation: int = 1) -> int:
    """Output length of nn.ConvTranspose2d: (size - 1)s - 2p + d(k-1) + output_padding + 1.

    Args:
        size: input length, >= 1.
        kernel_size, stride, padding, dilation: as the conv whose gradient this is.
        output_padding: extra rows on one side, < max(stride, dilation), to pick among the
            several input sizes that this conv maps to the same output size.

    Returns:
        The output length, >= 1.
    """
    size, k = check_int(size, "size", 1), check_int(kernel_size, "kernel_size", 1)
    s, p, d = check_int(stride, "stride", 1), check_int(padding, "padding", 0), check_int(dilation, "dilation", 1)
    op = check_int(output_padding, "output_padding", 0)
    if op >= max(s, d):
        raise ValueError(f"output_padding must be smaller than stride or dilation, got {op} (stride={s}, dilation={d})")
    out = (size - 1) * s - 2 * p + d * (k - 1) + op + 1
    if out < 1:
        raise ValueError(f"padding {p} is too large: the output length would be {out}")
    return out
# --8<-- [end:transposed]
