"""A perceptual hash of a selfie (DCT hash, 64 bits), to find a photo sent again or a
photo of a photo: near-identical images have hashes a few bits apart, whatever their
JPEG quality, size or small crops; different scenes differ in about half of the bits.

The image is made grey, shrunk to 32x32, transformed with a 2-D DCT (an orthonormal
DCT-II matrix built here with numpy), and the 8x8 lowest frequencies except the DC term
are compared with their median: one bit each (the DC term's bit is always 0).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PIL import Image

SIZE = 32
KEEP = 8
BITS = 64
NEAR = 10  # hashes at most this many bits apart are near-duplicates


@cache
def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n).reshape(-1, 1)
    i = np.arange(n).reshape(1, -1)
    matrix = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2.0 / n)
    matrix[0, :] = np.sqrt(1.0 / n)
    return matrix


def phash(image: Image.Image) -> int:
    """The 64-bit hash as a signed integer (it fits a database BIGINT)."""
    grey = image.convert("L").resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    pixels = np.asarray(grey, dtype=np.float64)
    dct = _dct_matrix(SIZE)
    low = (dct @ pixels @ dct.T)[:KEEP, :KEEP].flatten()
    median = np.median(low[1:])
    bits = low > median
    bits[0] = False
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def bits_apart(a: int, b: int) -> int:
    """Hamming distance of two hashes (signed 64-bit integers)."""
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()
