"""Selfie validation and sanitising (pure, no database): sigap.attendance.selfie."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageFile, PngImagePlugin

from sigap.attendance.selfie import (
    MAX_BYTES,
    MAX_SIDE,
    OUTPUT_MAX_SIDE,
    InvalidImage,
    ProcessedSelfie,
    process_selfie,
    read_upload,
)
from sigap.core.exceptions import InvalidInput, PayloadTooLarge

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"
ASTRONAUT = FACES / "astronaut.jpg"
GRACE_HOPPER = FACES / "grace_hopper.jpg"

RED = (255, 0, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)


# --- helpers ------------------------------------------------------------------------


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def face(size: tuple[int, int] | None = None) -> Image.Image:
    img = Image.open(ASTRONAUT).convert("RGB")
    return img.resize(size, Image.Resampling.LANCZOS) if size else img


def halves(size: tuple[int, int] = (200, 100)) -> Image.Image:
    """Red on the left half, blue on the right half: shows how the pixels were turned."""
    img = Image.new("RGB", size, BLUE)
    img.paste(RED, (0, 0, size[0] // 2, size[1]))
    return img


def exif_bytes(
    *,
    original: str | None = None,
    datetime: str | None = None,
    make: str | None = None,
    model: str | None = None,
    orientation: int | None = None,
) -> bytes:
    exif = Image.Exif()
    if make is not None:
        exif[0x010F] = make
    if model is not None:
        exif[0x0110] = model
    if datetime is not None:
        exif[0x0132] = datetime
    if orientation is not None:
        exif[0x0112] = orientation
    if original is not None:
        exif.get_ifd(0x8769)[0x9003] = original
    return exif.tobytes()


def with_app1(jpeg: bytes, payload: bytes) -> bytes:
    """Insert a raw APP1 segment (where EXIF lives) right after the JPEG's SOI marker."""
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def png_with_size(width: int, height: int) -> bytes:
    """A small valid PNG whose IHDR is patched to claim width x height (CRC fixed)."""
    data = bytearray(encode(Image.new("RGB", (64, 64), RED), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def jpeg_with_size(width: int, height: int) -> bytes:
    """A small valid baseline JPEG whose SOF0 header is patched to claim width x height."""
    data = bytearray(encode(Image.new("RGB", (64, 64), RED), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def reopen(result: ProcessedSelfie) -> Image.Image:
    img = Image.open(io.BytesIO(result.content))
    img.load()
    return img


def assert_clean_jpeg(result: ProcessedSelfie) -> Image.Image:
    img = reopen(result)
    assert img.format == "JPEG"
    assert img.mode == "RGB"
    assert img.size == (result.width, result.height)
    assert max(img.size) <= OUTPUT_MAX_SIDE
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert not dict(img.getexif())
    for key in ("exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp"):
        assert key not in img.info
    assert b"Exif\x00\x00" not in result.content
    assert b"ICC_PROFILE" not in result.content
    return img


def refused(data: bytes) -> InvalidImage:
    with pytest.raises(InvalidImage) as caught:
        process_selfie(data)
    exc = caught.value
    assert type(exc) is InvalidImage
    assert exc.code == "invalid_image"
    assert exc.status == 422
    return exc


def close_to(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


class FakeUpload:
    """An upload-like object; `size` may lie about what `read()` actually yields."""

    def __init__(self, data: bytes, *, size: int | None = None) -> None:
        self._buf = io.BytesIO(data)
        self.size = len(data) if size is None else size
        self.bytes_read = 0

    def read(self, n: int = -1) -> bytes:
        block = self._buf.read(n)
        self.bytes_read += len(block)
        return block


class EndlessUpload:
    """Claims to be tiny, then streams zeros for ever (through read() or chunks())."""

    size = 1000

    def __init__(self, *, block: int = 64 * 1024) -> None:
        self.block = block
        self.bytes_read = 0

    def read(self, n: int = -1) -> bytes:
        n = self.block if n is None or n < 0 else n
        self.bytes_read += n
        return b"\0" * n


class EndlessChunks:
    size = 1000

    def __init__(self) -> None:
        self.bytes_read = 0

    def chunks(self):
        while True:
            self.bytes_read += 64 * 1024
            yield b"\0" * (64 * 1024)


# --- accepted photos ----------------------------------------------------------------


@pytest.mark.parametrize("path", [ASTRONAUT, GRACE_HOPPER], ids=["astronaut", "grace_hopper"])
def test_face_photo_jpeg_is_accepted(path):
    data = path.read_bytes()
    result = process_selfie(data)
    img = assert_clean_jpeg(result)
    assert img.size == Image.open(path).size
    assert result.source_format == "JPEG"
    assert result.source_bytes == len(data)
    assert result.exif_captured_at is None
    assert result.exif_device == ""


def test_png_photo_is_accepted_and_stored_as_jpeg():
    data = encode(face(), "PNG")
    result = process_selfie(data)
    assert_clean_jpeg(result)
    assert result.source_format == "PNG"
    assert (result.width, result.height) == (512, 512)
    assert result.content[:3] == b"\xff\xd8\xff"


def test_a_phone_sized_photo_is_bounded_to_1024_on_its_longer_side():
    data = encode(face((3000, 2000)), "JPEG", quality=75)
    assert len(data) <= MAX_BYTES
    result = process_selfie(data)
    assert_clean_jpeg(result)
    assert result.width == OUTPUT_MAX_SIDE
    assert result.height == pytest.approx(OUTPUT_MAX_SIDE * 2 / 3, abs=1)


def test_a_portrait_png_is_bounded_on_its_height():
    result = process_selfie(encode(face((768, 1536)), "PNG", compress_level=1))
    assert (result.width, result.height) == (512, 1024)


def test_the_same_upload_gives_the_same_bytes():
    data = ASTRONAUT.read_bytes()
    assert process_selfie(data).sha256 == process_selfie(data).sha256


@pytest.mark.parametrize(
    ("mode", "fmt", "params"),
    [
        ("L", "JPEG", {}),
        ("CMYK", "JPEG", {}),
        ("L", "PNG", {}),
        ("1", "PNG", {}),
        ("P", "PNG", {}),
        ("I;16", "PNG", {}),
        ("RGB", "JPEG", {"progressive": True}),
    ],
)
def test_every_jpeg_and_png_flavour_becomes_rgb(mode, fmt, params):
    result = process_selfie(encode(face((128, 96)).convert(mode), fmt, **params))
    img = assert_clean_jpeg(result)
    assert img.size == (128, 96)


def test_sixteen_bit_greyscale_png_is_scaled_not_clipped():
    result = process_selfie(encode(Image.new("I;16", (100, 100), 40000), "PNG"))
    assert close_to(reopen(result).getpixel((50, 50)), (156, 156, 156), tolerance=3)


def test_a_multi_picture_jpeg_from_a_phone_counts_as_jpeg():
    img = face((320, 240))
    data = encode(img, "MPO", save_all=True, append_images=[img])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    result = process_selfie(data)
    assert result.source_format == "JPEG"
    assert (result.width, result.height) == (320, 240)


def test_exactly_64_px_is_accepted():
    result = process_selfie(encode(Image.new("RGB", (64, 64), RED), "PNG"))
    assert (result.width, result.height) == (64, 64)


def test_a_4096_square_png_that_fits_2_mb_is_accepted():
    data = encode(Image.new("RGB", (MAX_SIDE, MAX_SIDE), (40, 90, 160)), "PNG")
    assert len(data) <= MAX_BYTES
    result = process_selfie(data)
    img = assert_clean_jpeg(result)
    assert img.size == (OUTPUT_MAX_SIDE, OUTPUT_MAX_SIDE)
    assert close_to(img.getpixel((512, 512)), (40, 90, 160), tolerance=3)


# --- transparency -------------------------------------------------------------------


def test_png_transparency_is_composited_on_white():
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    img.paste((255, 0, 0, 255), (0, 0, 50, 100))
    result = process_selfie(encode(img, "PNG"))
    out = assert_clean_jpeg(result)
    assert close_to(out.getpixel((20, 50)), RED)
    assert close_to(out.getpixel((80, 50)), WHITE, tolerance=5)


@pytest.mark.parametrize(
    ("img", "params"),
    [
        (Image.new("LA", (100, 100), (0, 0)), {}),
        (Image.new("P", (100, 100), 0), {"transparency": 0}),
        (Image.new("RGB", (100, 100), (1, 2, 3)), {"transparency": (1, 2, 3)}),
        (Image.new("RGBA", (100, 100), (0, 0, 0, 0)), {}),
    ],
    ids=["LA", "palette-tRNS", "RGB-colour-key", "RGBA"],
)
def test_every_kind_of_png_transparency_becomes_white(img, params):
    result = process_selfie(encode(img, "PNG", **params))
    assert close_to(reopen(result).getpixel((50, 50)), WHITE, tolerance=5)


# --- EXIF: read, then stripped ------------------------------------------------------


def test_exif_capture_time_and_device_are_read_and_absent_from_the_output():
    exif = exif_bytes(
        original="2026:11:23 07:21:05",
        datetime="2026:11:24 09:00:00",
        make="samsung",
        model="SM-A515F",
    )
    data = encode(face((480, 640)), "JPEG", quality=85, exif=exif)
    result = process_selfie(data)
    assert result.exif_captured_at == dt.datetime(2026, 11, 23, 7, 21, 5)
    assert result.exif_captured_at.tzinfo is None
    assert result.exif_device == "samsung SM-A515F"
    assert_clean_jpeg(result)
    assert b"SM-A515F" not in result.content
    assert b"2026:11:23" not in result.content


def test_exif_datetime_in_ifd0_is_the_fallback():
    data = encode(face((128, 128)), "JPEG", exif=exif_bytes(datetime="2026:01:02 03:04:05"))
    assert process_selfie(data).exif_captured_at == dt.datetime(2026, 1, 2, 3, 4, 5)


def test_exif_in_a_png_is_read_and_stripped_too():
    exif = exif_bytes(original="2025:12:31 23:59:59", make="Apple", model="iPhone 13")
    result = process_selfie(encode(face((128, 128)), "PNG", exif=exif))
    assert result.exif_captured_at == dt.datetime(2025, 12, 31, 23, 59, 59)
    assert result.exif_device == "Apple iPhone 13"
    assert_clean_jpeg(result)


def test_exif_device_is_stripped_and_limited_to_100_characters():
    data = encode(
        face((128, 128)), "JPEG", exif=exif_bytes(make="  Acme\x00\x00 ", model="X" * 300)
    )
    device = process_selfie(data).exif_device
    assert device.startswith("Acme XXX")
    assert len(device) == 100


def test_exif_with_only_a_model_gives_the_model():
    data = encode(face((128, 128)), "JPEG", exif=exif_bytes(model=" Pixel 8 "))
    assert process_selfie(data).exif_device == "Pixel 8"


@pytest.mark.parametrize(
    "value",
    [
        "not a date",
        "0000:00:00 00:00:00",
        "2026:13:40 25:61:61",
        "    :  :     :  :  ",
        "0001:01:01 00:00:00",
        "",
    ],
)
def test_garbled_exif_dates_give_none(value):
    data = encode(face((128, 128)), "JPEG", exif=exif_bytes(original=value, datetime=value))
    result = process_selfie(data)
    assert result.exif_captured_at is None


@pytest.mark.parametrize(
    "payload",
    [
        b"Exif\x00\x00",
        b"Exif\x00\x00MM\x00*\xff\xff\xff\xff",
        b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff" + b"\x01" * 40,
        b"Exif\x00\x00" + bytes(range(256)) * 4,
        b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x87\x69\x00\x04\x00\x00\x00\x01\x00\x00\x00\x08",
        b"garbage that is not exif at all",
    ],
    ids=["empty", "bad-offset", "bad-count", "noise", "exif-ifd-loops-to-itself", "not-exif"],
)
@pytest.mark.parametrize("warnings_are", ["ignored", "errors"])
def test_garbled_exif_block_does_not_raise(payload, warnings_are):
    data = with_app1(encode(face((128, 96)), "JPEG"), payload)
    with warnings.catch_warnings():
        # Pillow warns about corrupt EXIF; under `python -W error` those warnings are raised.
        warnings.simplefilter("ignore" if warnings_are == "ignored" else "error")
        result = process_selfie(data)
    assert_clean_jpeg(result)
    assert (result.width, result.height) == (128, 96)
    assert result.exif_device == ""


@pytest.mark.filterwarnings("error")
def test_randomly_corrupted_exif_never_raises_nor_warns():
    good = b"Exif\x00\x00" + exif_bytes(
        original="2026:11:23 07:21:05", make="samsung", model="SM-A515F", orientation=6
    )
    jpeg = encode(face((96, 64)), "JPEG")
    rng = random.Random(20261123)
    for _ in range(300):
        payload = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            payload[rng.randrange(6, len(payload))] = rng.randrange(256)
        result = process_selfie(with_app1(jpeg, bytes(payload)))
        assert {result.width, result.height} == {96, 64}
        assert len(result.exif_device) <= 100


# --- orientation --------------------------------------------------------------------


def test_exif_orientation_6_is_applied():
    data = encode(halves((200, 100)), "JPEG", exif=exif_bytes(orientation=6))
    result = process_selfie(data)
    img = assert_clean_jpeg(result)
    assert img.size == (100, 200)
    # Orientation 6 = turn 90 degrees clockwise to view: the left half ends up on top.
    assert close_to(img.getpixel((50, 30)), RED)
    assert close_to(img.getpixel((50, 170)), BLUE)


@pytest.mark.parametrize(
    ("orientation", "size"),
    [
        (1, (200, 100)),
        (2, (200, 100)),
        (3, (200, 100)),
        (4, (200, 100)),
        (5, (100, 200)),
        (6, (100, 200)),
        (7, (100, 200)),
        (8, (100, 200)),
        (9, (200, 100)),
        (0, (200, 100)),
    ],
)
def test_every_exif_orientation_gives_the_right_shape(orientation, size):
    data = encode(halves((200, 100)), "JPEG", exif=exif_bytes(orientation=orientation))
    result = process_selfie(data)
    assert (result.width, result.height) == size


def test_orientation_is_applied_to_png_as_well():
    data = encode(halves((200, 100)), "PNG", exif=exif_bytes(orientation=8))
    result = process_selfie(data)
    img = reopen(result)
    assert img.size == (100, 200)
    # Orientation 8 = turn 90 degrees counter-clockwise: the left half ends up at the bottom.
    assert close_to(img.getpixel((50, 170)), RED)


# --- size limits --------------------------------------------------------------------


@pytest.mark.parametrize("size", [(MAX_SIDE + 1, 64), (64, MAX_SIDE + 1)])
def test_more_than_4096_on_a_side_is_refused(size):
    exc = refused(encode(Image.new("RGB", size, RED), "PNG"))
    assert exc.detail["max_side"] == MAX_SIDE
    assert (exc.detail["width"], exc.detail["height"]) == size


@pytest.mark.parametrize("size", [(63, 100), (100, 63), (63, 63), (1, 1)])
def test_less_than_64_px_on_a_side_is_refused(size):
    exc = refused(encode(Image.new("RGB", size, RED), "JPEG"))
    assert exc.detail["min_side"] == 64


def test_more_than_2_mb_of_bytes_is_refused_even_without_read_upload():
    data = encode(face((128, 128)), "JPEG") + b"\0" * MAX_BYTES
    with pytest.raises(PayloadTooLarge) as caught:
        process_selfie(data)
    assert caught.value.code == "payload_too_large"
    assert caught.value.status == 413


# --- decompression bombs ------------------------------------------------------------


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any pixel decoding starts."""

    def load(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


@pytest.mark.parametrize(
    "data",
    [
        png_with_size(30000, 30000),
        png_with_size(5000, 5000),
        png_with_size(MAX_SIDE, MAX_SIDE + 1),
        jpeg_with_size(65000, 65000),
        jpeg_with_size(5000, 5000),
    ],
    ids=["png-30000", "png-5000", "png-4096x4097", "jpeg-65000", "jpeg-5000"],
)
@pytest.mark.parametrize("pillow_limit", ["default", "disabled"])
def test_decompression_bomb_is_refused_from_its_header(
    data, pillow_limit, monkeypatch, no_decoding
):
    if pillow_limit == "disabled":
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    refused(data)


def test_a_zlib_level_png_bomb_is_refused():
    # A real 10000 x 10000 greyscale PNG: 100 MB of zeros squeezed into about 100 KB.
    width = height = 10000
    raw_row = b"\0" * (width + 1)  # filter byte + pixels
    deflate = zlib.compressobj(9)
    idat = b"".join(deflate.compress(raw_row * 500) for _ in range(height // 500))
    idat += deflate.flush()
    assert len(idat) < MAX_BYTES

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )
    refused(data)


def test_pillow_bomb_warning_is_turned_into_a_refusal(monkeypatch):
    # 100 x 100 = 10,000 px: above this limit (warning) but below twice it (no error).
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 6000)
    data = encode(Image.new("RGB", (100, 100), RED), "PNG")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as in production, where a warning is only logged
        refused(data)


def test_pillow_bomb_error_is_turned_into_a_refusal(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    refused(encode(Image.new("RGB", (100, 100), RED), "PNG"))


# --- not a JPEG or PNG --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "BMP", "TIFF", "ICO", "PPM", "JPEG2000", "PDF"])
def test_other_image_formats_are_refused(fmt):
    exc = refused(encode(face((128, 128)), fmt))
    with translation.override("en"):
        assert "JPEG or PNG" in str(exc.message)


@pytest.mark.parametrize(
    "data",
    [
        b"hello, this is a text file\n",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="512" height="512">'
        b'<rect width="512" height="512" fill="red"/></svg>',
        b"<svg onload=alert(1)>",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        b"<?php system($_GET['c']); ?>",
        b"\xff\xd8\xff",
        b"\x89PNG\r\n\x1a\n",
        b"\0" * 4096,
    ],
    ids=["text", "svg-xml", "svg", "pdf", "php", "jpeg-magic-only", "png-magic-only", "zeros"],
)
def test_non_images_are_refused(data):
    refused(data)


def test_an_empty_file_is_refused():
    exc = refused(b"")
    with translation.override("en"):
        assert "empty" in str(exc.message)


def test_file_name_and_content_type_are_ignored():
    gif = encode(face((128, 128)), "GIF")
    upload = SimpleUploadedFile("selfie.jpg", gif, content_type="image/jpeg")
    refused(read_upload(upload))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_a_truncated_file_is_refused(fmt, keep):
    data = encode(face((480, 640)), fmt)
    exc = refused(data[: int(len(data) * keep)])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    with translation.override("en"):
        assert "incomplete" in str(exc.message)


def test_a_jpeg_cut_inside_its_header_is_refused():
    refused(ASTRONAUT.read_bytes()[:300])


def test_a_truncated_large_jpeg_is_refused_even_when_decoded_scaled_down():
    data = encode(face((3000, 2000)), "JPEG", quality=75)
    refused(data[: len(data) // 2])


def test_loading_truncated_images_globally_is_a_server_error(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        process_selfie(ASTRONAUT.read_bytes())


# --- polyglots and payloads ---------------------------------------------------------

PHP = b"<?php system($_GET['c']); ?>"


def zip_with_php() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("shell.php", PHP)
    return buf.getvalue()


def test_a_gif_with_a_jpeg_appended_is_refused():
    data = encode(face((128, 128)), "GIF") + ASTRONAUT.read_bytes()
    refused(data)


def test_a_jpeg_followed_by_a_zip_and_php_is_accepted_without_the_payload():
    data = ASTRONAUT.read_bytes() + zip_with_php() + PHP
    assert zipfile.is_zipfile(io.BytesIO(data))
    result = process_selfie(data)
    assert_clean_jpeg(result)
    assert result.source_format == "JPEG"
    assert result.source_bytes == len(data)
    for needle in (PHP, b"<?php", b"PK\x03\x04", b"PK\x05\x06", b"shell.php"):
        assert needle not in result.content
    assert not zipfile.is_zipfile(io.BytesIO(result.content))


def test_payloads_in_jpeg_comment_icc_and_exif_are_dropped():
    icc = b"\0" * 128 + PHP * 4
    exif = exif_bytes(make=PHP.decode(), model="x")
    data = encode(face((256, 256)), "JPEG", comment=PHP, icc_profile=icc, exif=exif)
    assert data.count(PHP) >= 2
    result = process_selfie(data)
    assert_clean_jpeg(result)
    assert b"<?php" not in result.content


def test_payloads_in_png_text_chunks_and_after_iend_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", PHP.decode())
    info.add_text("XML:com.adobe.xmp", "<x:xmpmeta>" + PHP.decode() + "</x:xmpmeta>", zip=True)
    data = encode(face((256, 256)), "PNG", pnginfo=info) + PHP
    result = process_selfie(data)
    assert_clean_jpeg(result)
    assert b"<?php" not in result.content


# --- read_upload --------------------------------------------------------------------


def test_read_upload_returns_the_bytes_of_a_django_upload():
    data = ASTRONAUT.read_bytes()
    upload = SimpleUploadedFile("whatever.bin", data, content_type="application/octet-stream")
    upload.read(100)  # already partly read by someone: read_upload starts from the top
    assert read_upload(upload) == data


def test_read_upload_accepts_exactly_the_limit():
    data = b"\xff" * MAX_BYTES
    assert read_upload(SimpleUploadedFile("s.jpg", data)) == data


def test_read_upload_refuses_more_than_2_mb_from_its_declared_size():
    upload = FakeUpload(b"\0" * 10, size=MAX_BYTES + 1)
    with pytest.raises(PayloadTooLarge) as caught:
        read_upload(upload)
    exc = caught.value
    assert exc.code == "payload_too_large"
    assert exc.status == 413
    assert exc.detail == {"max_bytes": MAX_BYTES}
    assert upload.bytes_read == 0
    with translation.override("en"):
        assert "2 MB" in str(exc.message)


def test_read_upload_refuses_a_real_upload_of_2_mb_plus_one_byte():
    upload = SimpleUploadedFile("s.jpg", b"\0" * (MAX_BYTES + 1))
    with pytest.raises(PayloadTooLarge) as caught:
        read_upload(upload)
    assert caught.value.code == "payload_too_large"


def test_read_upload_counts_the_bytes_when_the_size_lies():
    upload = FakeUpload(b"\0" * (MAX_BYTES + 1), size=100)
    with pytest.raises(PayloadTooLarge) as caught:
        read_upload(upload)
    assert caught.value.code == "payload_too_large"
    assert upload.bytes_read == MAX_BYTES + 1


def test_read_upload_stops_an_endless_stream_after_the_limit():
    upload = EndlessUpload()
    with pytest.raises(PayloadTooLarge):
        read_upload(upload)
    assert upload.bytes_read == MAX_BYTES + 1


def test_read_upload_stops_a_reader_that_returns_more_than_asked():
    upload = EndlessUpload(block=10 * 1024 * 1024)
    upload.read = lambda n=-1: b"\0" * upload.block
    with pytest.raises(PayloadTooLarge):
        read_upload(upload)


def test_read_upload_stops_endless_chunks_after_the_limit():
    upload = EndlessChunks()
    with pytest.raises(PayloadTooLarge):
        read_upload(upload)
    assert upload.bytes_read <= MAX_BYTES + 64 * 1024


def test_read_upload_honours_a_smaller_limit():
    with pytest.raises(PayloadTooLarge) as caught:
        read_upload(FakeUpload(b"\0" * 1025, size=1), max_bytes=1024)
    assert caught.value.detail == {"max_bytes": 1024}
    assert read_upload(FakeUpload(b"\1" * 1024), max_bytes=1024) == b"\1" * 1024


@pytest.mark.parametrize("size", [0, 100, None])
def test_read_upload_refuses_an_empty_file(size):
    with pytest.raises(InvalidImage) as caught:
        read_upload(FakeUpload(b"", size=size))
    assert caught.value.code == "invalid_image"
    assert caught.value.status == 422


def test_invalid_image_is_an_invalid_input():
    assert issubclass(InvalidImage, InvalidInput)
    assert InvalidImage.code == "invalid_image"
    assert InvalidImage.status == 422
