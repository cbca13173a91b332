"""snippets/plotting.py: embedded images are re-encoded losslessly in the fewest channels."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from snippets.plotting import _smallest_png


def png(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")  # uint8 (H, W, 4): RGBA
    return base64.b64encode(out.getvalue())


def decode(encoded: bytes) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(encoded)))


rng = np.random.default_rng(0)
GREY = rng.integers(0, 256, (12, 9), dtype=np.uint8)
OPAQUE = np.full((12, 9), 255, dtype=np.uint8)


@pytest.mark.parametrize("pixels, mode", [
    (np.dstack([GREY, GREY, GREY, OPAQUE]), "L"),  # grey and opaque: one channel
    (np.dstack([GREY, GREY[::-1], GREY, OPAQUE]), "RGB"),  # colour and opaque: three
    (np.dstack([GREY, GREY, GREY, GREY]), "RGBA"),  # transparency kept
])
def test_same_pixels_in_fewer_channels(pixels: np.ndarray, mode: str) -> None:
    out = decode(_smallest_png(png(pixels)))
    assert out.mode == mode
    assert (np.asarray(out.convert("RGBA")) == pixels).all()


def test_grey_photograph_shrinks() -> None:
    pixels = np.dstack([GREY, GREY, GREY, OPAQUE])
    assert len(_smallest_png(png(pixels))) < len(png(pixels))
