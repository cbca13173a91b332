"""What autograd really keeps for backward: count the saved tensors of one forward pass with hooks.

The count needs only shapes and dtypes, so it runs on the ``meta`` device too: VGG-16 at 224 x 224
is measured there without allocating its 528 MiB of weights or computing its 15.5 GMACs.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from snippets.cnn.params_flops import BN, FC, Conv, Pool


def torch_model(layers: list[Conv | BN | Pool | FC]) -> nn.Sequential:
    """The PyTorch network that a list of layer specs (as given to ``count_layers``) describes.

    Args:
        layers: Conv / BN / Pool / FC specs, input to output. A ReLU follows every Conv (after its BN
            when a BN comes next) and every FC except the last; the first FC flattens.

    Returns:
        An nn.Sequential, created on the current default device (e.g. inside ``with torch.device("meta")``).
    """
    if not isinstance(layers, list) or not layers:
        raise TypeError("layers must be a non-empty list of Conv, BN, Pool or FC specs")
    mods: list[nn.Module] = []
    flat = False
    for i, L in enumerate(layers):
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        if isinstance(L, Conv):
            mods.append(nn.Conv2d(L.c_in, L.c_out, L.kernel_size, L.stride, L.padding, bias=L.bias))
            if not isinstance(nxt, BN):
                mods.append(nn.ReLU())
        elif isinstance(L, BN):
            mods += [nn.BatchNorm2d(L.c), nn.ReLU()]
        elif isinstance(L, Pool):
            mods.append(nn.MaxPool2d(L.kernel_size, L.stride))
        elif isinstance(L, FC):
            if not flat:
                mods.append(nn.Flatten())
                flat = True
            mods.append(nn.Linear(L.in_features, L.out_features, bias=L.bias))
            if nxt is not None:
                mods.append(nn.ReLU())
        else:
            raise TypeError(f"layers: unknown layer {L!r}")
    return nn.Sequential(*mods)


@dataclass(frozen=True)
class SavedBytes:
    """Bytes autograd keeps for backward (parameters and the input excluded), and how many are int64."""

    total: int
    int64: int
    tensors: int


# --8<-- [start:saved]
def saved_activation_bytes(model: nn.Module, x: torch.Tensor) -> SavedBytes:
    """Run one forward pass and add up the distinct storages autograd saves for the backward pass.

    Args:
        model: any module; its parameters are not counted (they are weights, not activations).
        x: the input batch, shape (N, C, H, W); not counted either.

    Returns:
        SavedBytes(total, int64, tensors) for the whole batch.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")

    def key(t: torch.Tensor) -> int:
        # 按存储 (storage) 计数: ReLU 的输出又被下一层卷积和池化保存时, 是同一块内存, 只算一次。
        # 用存储对象的地址而不是 data_ptr(): meta 设备上所有 data_ptr() 都是 0
        return int(t.untyped_storage()._cdata)

    saved: dict[int, tuple[int, torch.dtype, torch.Tensor]] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        saved[key(t)] = (t.untyped_storage().nbytes(), t.dtype, t)  # 持有 t: 存储在计数期间不会被复用
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    skip = {key(p) for p in model.parameters()} | {key(x)}
    kept = [(n, dtype) for k, (n, dtype, _) in saved.items() if k not in skip]
    return SavedBytes(total=sum(n for n, _ in kept), int64=sum(n for n, dt in kept if dt == torch.int64),
                      tensors=len(kept))
# --8<-- [end:saved]
