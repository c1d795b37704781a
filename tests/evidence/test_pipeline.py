"""The photo pipeline on images made in memory by Pillow."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from audit.evidence.pipeline import PhotoRejected, hamming, ingest
from tests.support import encode, exif_block, picture

MB = 1024 * 1024


def test_jpeg_is_oriented_stripped_and_keeps_capture_time():
    raw = encode(picture((1200, 800)), exif=exif_block(6, "2026:11:20 09:15:00", "+07:00"))
    photo = ingest(raw, max_bytes=25 * MB)
    assert (photo.width, photo.height) == (800, 1200)  # orientation 6 = rotate 90°
    assert photo.captured_at == datetime(2026, 11, 20, 9, 15,
                                         tzinfo=timezone(timedelta(hours=7)))
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert b"GPS" not in photo.data and b"Exif" not in photo.data
    thumb = Image.open(io.BytesIO(photo.thumbnail))
    assert max(thumb.size) == 320


def test_capture_time_without_offset_is_naive():
    photo = ingest(encode(picture(), exif=exif_block(when="2026:01:02 03:04:05")),
                   max_bytes=25 * MB)
    assert photo.captured_at == datetime(2026, 1, 2, 3, 4, 5)
    assert ingest(encode(picture()), max_bytes=25 * MB).captured_at is None


def test_twelve_megapixels_are_downscaled_to_at_most_2048():
    photo = ingest(encode(picture((4000, 3000)), quality=90), max_bytes=25 * MB)
    assert (photo.width, photo.height) == (2000, 1500)  # JPEG decoded at 1/2 scale
    png = ingest(encode(picture((5000, 2500)), "PNG"), max_bytes=25 * MB)
    assert (png.width, png.height) == (2048, 1024)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(fmt):
    image = picture((900, 600)).convert("RGBA")
    photo = ingest(encode(image, fmt), max_bytes=25 * MB)
    assert photo.source_format == fmt
    assert Image.open(io.BytesIO(photo.data)).mode == "RGB"


def test_heic_is_accepted():
    try:
        raw = encode(picture((640, 480)), "HEIF", quality=80)
    except (KeyError, OSError, ValueError) as exc:  # encoder missing from this build
        pytest.skip(f"no HEIF encoder: {exc}")
    photo = ingest(raw, max_bytes=25 * MB)
    assert photo.source_format == "HEIF"
    assert (photo.width, photo.height) == (640, 480)


@pytest.mark.parametrize(("raw", "key"), [
    (b"", "not_image"),
    (b"%PDF-1.7 not a photo at all", "not_image"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not_image"),
])
def test_non_images_are_refused(raw, key):
    with pytest.raises(PhotoRejected) as error:
        ingest(raw, max_bytes=25 * MB)
    assert error.value.key == key


def test_gif_is_an_unsupported_format():
    with pytest.raises(PhotoRejected) as error:
        ingest(encode(picture((50, 50)), "GIF"), max_bytes=25 * MB)
    assert error.value.key == "unsupported_format"


def test_truncated_jpeg_is_refused():
    raw = encode(picture((1600, 1200)), quality=95)
    with pytest.raises(PhotoRejected) as error:
        ingest(raw[: len(raw) // 2], max_bytes=25 * MB)
    assert error.value.key == "truncated"


def test_oversize_upload_is_refused_before_decoding():
    with pytest.raises(PhotoRejected) as error:
        ingest(b"\xff" * (2 * MB + 1), max_bytes=2 * MB)
    assert error.value.key == "too_large"
    assert error.value.params == {"limit_mb": 2}


def test_decompression_bomb_is_refused():
    bomb = encode(Image.new("1", (12_000, 12_000)), "PNG")  # 144 MP, a few kB
    assert len(bomb) < 100_000
    with pytest.raises(PhotoRejected) as error:
        ingest(bomb, max_bytes=25 * MB)
    assert error.value.key == "too_many_pixels"


def test_perceptual_hash_finds_near_identical_pictures():
    original = ingest(encode(picture(seed=0), quality=95), max_bytes=25 * MB)
    recompressed = ingest(encode(picture(seed=0).resize((900, 600)), quality=60),
                          max_bytes=25 * MB)
    other = ingest(encode(picture(seed=3).transpose(Image.Transpose.FLIP_LEFT_RIGHT)),
                   max_bytes=25 * MB)
    assert original.sha256 != recompressed.sha256
    assert hamming(original.phash, recompressed.phash) <= 6
    assert hamming(original.phash, other.phash) > 10
