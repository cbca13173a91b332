"""How libraries compute a convolution: im2col memory, Winograd F(2,3) and F(2x2,3x3), FFT, multiplication counts."""

from __future__ import annotations

import numpy as np

from snippets.cnn._checks import check_array, check_int

# --8<-- [start:matrices]
# Lavin & Gray (CVPR 2016), F(2, 3): y = A^T [(G g) * (B^T d)], d 4 个输入, g 3 个权重, y 2 个输出
BT = np.array([[1.0, 0.0, -1.0, 0.0],
               [0.0, 1.0, 1.0, 0.0],
               [0.0, -1.0, 1.0, 0.0],
               [0.0, 1.0, 0.0, -1.0]])  # (4, 4), 只有 0 和 ±1: 输入变换只用加减
G = np.array([[1.0, 0.0, 0.0],
              [0.5, 0.5, 0.5],
              [0.5, -0.5, 0.5],
              [0.0, 0.0, 1.0]])  # (4, 3), 核变换可以事先算好
AT = np.array([[1.0, 1.0, 1.0, 0.0],
               [0.0, 1.0, -1.0, -1.0]])  # (2, 4), 输出变换也只用加减
# --8<-- [end:matrices]


# --8<-- [start:im2col_memory]
def im2col_blowup(H: int, W: int, kernel_size: int, stride: int = 1, padding: int = 0) -> float:
    """How many times larger the im2col matrix is than the input it unfolds (per channel).

    Args:
        H, W: input height and width.
        kernel_size, stride, padding: of the square convolution.

    Returns:
        (k*k * OH*OW) / (H*W): close to k^2 for stride 1 and "same" padding.
    """
    H, W = check_int(H, "H", 1), check_int(W, "W", 1)
    k, s, p = check_int(kernel_size, "kernel_size", 1), check_int(stride, "stride", 1), check_int(padding, "padding", 0)
    OH, OW = (H + 2 * p - k) // s + 1, (W + 2 * p - k) // s + 1
    if OH < 1 or OW < 1:
        raise ValueError(f"kernel_size {k} does not fit an input of {H}x{W} with padding {p}")
    return k * k * OH * OW / (H * W)  # 每个输出位置复制一个 k*k 窗口
# --8<-- [end:im2col_memory]


# --8<-- [start:winograd_1d]
def winograd_f23(d: np.ndarray, g: np.ndarray) -> np.ndarray:
    """F(2, 3): two outputs of a 3-tap cross-correlation from 4 inputs with 4 multiplications (direct: 6).

    Args:
        d: input tile, shape (4,).
        g: kernel, shape (3,).

    Returns:
        y of shape (2,): y[i] = sum_m d[i + m] g[m].
    """
    d, g = check_array(d, "d", 1), check_array(g, "g", 1)
    if d.shape != (4,) or g.shape != (3,):
        raise ValueError(f"d must have shape (4,) and g shape (3,), got {d.shape} and {g.shape}")
    m = (G @ g) * (BT @ d)  # 4 次乘法: 这是唯一的逐元素乘积
    return AT @ m
# --8<-- [end:winograd_1d]


# --8<-- [start:winograd_2d]
def winograd_f2x2_3x3(d: np.ndarray, g: np.ndarray) -> np.ndarray:
    """F(2x2, 3x3): a 2x2 output tile of a 3x3 cross-correlation with 16 multiplications (direct: 36).

    Args:
        d: input tile, shape (4, 4).
        g: kernel, shape (3, 3).

    Returns:
        Y of shape (2, 2): Y = A^T [(G g G^T) * (B^T d B)] A.
    """
    d, g = check_array(d, "d", 2), check_array(g, "g", 2)
    if d.shape != (4, 4) or g.shape != (3, 3):
        raise ValueError(f"d must have shape (4, 4) and g shape (3, 3), got {d.shape} and {g.shape}")
    U = G @ g @ G.T  # (4, 4) 变换后的核
    V = BT @ d @ BT.T  # (4, 4) 变换后的输入块
    return AT @ (U * V) @ AT.T  # U * V: 16 次乘法


def winograd_conv2d(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """A 3x3, stride-1, unpadded conv layer (like F.conv2d) tiled into F(2x2, 3x3) blocks.

    Args:
        X: input, shape (N, C, H, W); H - 2 and W - 2 must be even.
        W: weights, shape (C_out, C, 3, 3).

    Returns:
        Y of shape (N, C_out, H - 2, W - 2).
    """
    X, W = check_array(X, "X", 4), check_array(W, "W", 4)
    N, C, H, Wd = X.shape
    if W.shape[1:] != (C, 3, 3):
        raise ValueError(f"W must have shape (C_out, {C}, 3, 3), got {W.shape}")
    OH, OW = H - 2, Wd - 2
    if OH < 2 or OW < 2 or OH % 2 or OW % 2:
        raise ValueError(f"X must give an even output size >= 2 (H - 2, W - 2), got {OH}x{OW}")
    U = np.einsum("ij,ocjk,lk->ocil", G, W, G)  # (C_out, C, 4, 4), 每对通道变换一次核
    Y = np.empty((N, W.shape[0], OH, OW))
    for i in range(0, OH, 2):  # 相邻的 4x4 输入块重叠 2 行/列
        for j in range(0, OW, 2):
            V = np.einsum("ij,ncjk,lk->ncil", BT, X[:, :, i : i + 4, j : j + 4], BT)  # (N, C, 4, 4)
            M = np.einsum("ocil,ncil->noil", U, V)  # 16 个位置上各做一次跨通道的乘加
            Y[:, :, i : i + 2, j : j + 2] = np.einsum("ai,noil,bl->noab", AT, M, AT)
    return Y
# --8<-- [end:winograd_2d]


# --8<-- [start:fft]
def fft_conv2d(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Valid 2-D cross-correlation of one channel by the FFT (what F.conv2d gives for 1 channel).

    Args:
        x: image, shape (H, W).
        w: kernel, shape (kh, kw), no larger than x.

    Returns:
        Shape (H - kh + 1, W - kw + 1).
    """
    x, w = check_array(x, "x", 2), check_array(w, "w", 2)
    (H, Wd), (kh, kw) = x.shape, w.shape
    if kh > H or kw > Wd:
        raise ValueError(f"w of shape {w.shape} is larger than x of shape {x.shape}")
    # 乘积对应循环互相关; 只保留 valid 部分, 那里没有绕回
    Xf = np.fft.rfft2(x)
    Wf = np.fft.rfft2(w, s=(H, Wd))  # 核补零到图像大小
    y = np.fft.irfft2(Xf * np.conj(Wf), s=(H, Wd))
    return y[: H - kh + 1, : Wd - kw + 1]
# --8<-- [end:fft]


# --8<-- [start:counts]
def multiplication_counts(n: int, kernel_size: int) -> dict[str, float]:
    """Real multiplications for one n x n channel and one k x k kernel (kernel transforms precomputed).

    Args:
        n: image side; n - k + 1 must be even for the Winograd count.
        kernel_size: k.

    Returns:
        "direct": (n-k+1)^2 k^2; "winograd" (k = 3 only, else nan): 16 per 2x2 tile;
        "fft": radix-2 model, a forward and an inverse n x n complex FFT, (n^2/2) log2(n^2)
        complex products each, plus n^2 pointwise products, 4 real multiplications per complex one.
    """
    n, k = check_int(n, "n", 2), check_int(kernel_size, "kernel_size", 1)
    if k > n or n & (n - 1):
        raise ValueError(f"n must be a power of two >= kernel_size, got n={n}, kernel_size={k}")
    out = n - k + 1
    direct = out * out * k * k
    winograd = 16 * (out // 2) ** 2 if k == 3 and out % 2 == 0 else float("nan")
    fft_complex = 2 * (n * n / 2) * np.log2(n * n) + n * n
    return {"direct": float(direct), "winograd": float(winograd), "fft": float(4 * fft_complex)}
# --8<-- [end:counts]
