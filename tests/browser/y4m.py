"""YUV4MPEG2 (.y4m) videos for Chromium's fake camera (`--use-file-for-fake-video-capture`).

A .y4m file is a text header, then per frame the line "FRAME" and the raw planes: Y at
full size, then U and V at half width and half height (4:2:0). The colours are BT.601 in
video ("limited") range, what a camera delivers: Y in 16-235, U and V in 16-240.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def yuv420_planes(image: Image.Image) -> tuple[bytes, bytes, bytes]:
    """The Y, U and V planes of an RGB image whose sides are even."""
    if image.width % 2 or image.height % 2:
        raise ValueError(f"4:2:0 needs even sides, not {image.width}x{image.height}")
    rgb = np.asarray(image.convert("RGB"), dtype=np.float64) / 255.0
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    luma = 0.299 * r + 0.587 * g + 0.114 * b
    y = 16 + 219 * luma
    u = 128 + 224 * (b - luma) / 1.772
    v = 128 + 224 * (r - luma) / 1.402

    def half(plane: np.ndarray) -> np.ndarray:  # the mean of each 2x2 block
        return (plane[0::2, 0::2] + plane[0::2, 1::2] + plane[1::2, 0::2] + plane[1::2, 1::2]) / 4

    def raw(plane: np.ndarray) -> bytes:
        return np.clip(np.rint(plane), 0, 255).astype(np.uint8).tobytes()

    return raw(y), raw(half(u)), raw(half(v))


def write_y4m(path: Path, image: Image.Image, *, frames: int = 3, fps: int = 30) -> Path:
    """`frames` identical frames of `image` (Chromium plays the file in a loop)."""
    y, u, v = yuv420_planes(image)
    header = f"YUV4MPEG2 W{image.width} H{image.height} F{fps}:1 Ip A1:1 C420jpeg\n"
    with open(path, "wb") as out:
        out.write(header.encode("ascii"))
        for _ in range(frames):
            out.write(b"FRAME\n")
            out.write(y)
            out.write(u)
            out.write(v)
    return path
