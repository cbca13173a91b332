"""A per-layer table of any nn.Module: output shape, parameters and MACs, from one forward pass.

The forward pass can run on the ``meta`` device (shapes only, no memory, no arithmetic), so the
table of a full-size network at 224 x 224 costs almost nothing; MACs come from each layer's formula.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from snippets._checks import check_int


@dataclass(frozen=True)
class Row:
    """One leaf layer: its name in the module tree, type, output shape (C, H, W) or (F,), params, MACs."""

    name: str
    kind: str
    out_shape: tuple[int, ...]
    params: int
    macs: int


# --8<-- [start:macs]
def layer_macs(module: nn.Module, out: torch.Tensor) -> int:
    """Multiply-accumulates of one conv or linear layer for one image (every other layer: 0).

    Args:
        module: the layer.
        out: its output, (1, C_out, H_out, W_out) or (1, F_out).

    Returns:
        MACs: a conv output element costs k_h*k_w*C_in/groups, a linear one in_features.
    """
    if isinstance(module, nn.Conv2d):
        kh, kw = module.kernel_size
        per_output = kh * kw * module.in_channels // module.groups
        return per_output * out[0].numel()  # C_out * H_out * W_out 个输出, 每个一次点积
    if isinstance(module, nn.Linear):
        return module.in_features * out[0].numel()
    return 0  # BN、激活、池化、加法: 不计 (与 FlopCounterMode 相同)
# --8<-- [end:macs]


def count_params(model: nn.Module) -> int:
    """Learnable values of a module (buffers such as BN's running statistics excluded)."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    return sum(p.numel() for p in model.parameters())


# --8<-- [start:table]
def layer_table(model: nn.Module, input_shape: tuple[int, int, int]) -> list[Row]:
    """Run one image through ``model`` with a hook on every leaf layer and return one Row per call.

    Args:
        model: any nn.Module (build it inside ``with torch.device("meta")`` for a free pass).
        input_shape: (C, H, W) of one image.

    Returns:
        Rows in the order the layers ran; the sum of params equals count_params(model) when every
        parameter sits in a leaf layer that runs once.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    if not isinstance(input_shape, tuple) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be a (C, H, W) tuple, got {input_shape!r}")
    shape = tuple(check_int(v, "input_shape", 1) for v in input_shape)
    rows: list[Row] = []
    hooks = []
    for name, m in model.named_modules():
        if next(m.children(), None) is not None:
            continue  # 只挂叶子层

        def hook(mod: nn.Module, args: object, out: torch.Tensor, name: str = name) -> None:
            params = sum(p.numel() for p in mod.parameters(recurse=False))
            rows.append(Row(name, type(mod).__name__, tuple(out.shape[1:]), params, layer_macs(mod, out)))

        hooks.append(m.register_forward_hook(hook))
    p = next(model.parameters(), None)
    x = torch.zeros(1, *shape, device=p.device if p is not None else "cpu",
                    dtype=p.dtype if p is not None else torch.float32)
    was_training = model.training
    model.eval()  # BN 用 running 统计量: 批大小为 1 也能跑
    try:
        with torch.no_grad():
            model(x)
    finally:
        model.train(was_training)
        for h in hooks:
            h.remove()
    return rows
# --8<-- [end:table]


def table_totals(rows: list[Row]) -> dict[str, int]:
    """Totals of a layer table: params, MACs, and depth.

    Depth counts conv and linear layers outside shortcut branches, as the papers do (ResNet-18's
    three 1x1 projections are not among its 18 layers).
    """
    if not isinstance(rows, list) or not all(isinstance(r, Row) for r in rows):
        raise TypeError("rows must be a list of Row")
    return {
        "params": sum(r.params for r in rows),
        "macs": sum(r.macs for r in rows),
        "depth": sum(r.kind in ("Conv2d", "Linear") and "shortcut" not in r.name for r in rows),
    }
