"""The photo pipeline (pure, no Flask): prove it is an image, refuse bombs and broken files,
apply the EXIF orientation, keep only the capture time, downscale, thumbnail, hash.

DESIGN.md §5. What is stored carries no metadata at all: a shopper's name can sit in a
JPEG comment, a PNG text chunk, XMP, EXIF or an ICC profile's text, and franchise owners
must never read it. So the photo is rebuilt from its pixels alone (a fresh image with an
empty `info`: Pillow's JPEG writer would otherwise copy `info["comment"]` into a COM
segment), after its colour profile, if any, has been applied to the pixels.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import imagehash
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
                    "HEIF": "image/heic"}
LONG_SIDE = 2048
THUMB_SIDE = 320
MAX_PIXELS = 64_000_000  # a 12 MP phone photo is 12 000 000
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_OFFSET_ORIGINAL = 0x9011
_DATETIME = 0x0132


class PhotoRejected(Exception):
    """The upload is not an acceptable photo; `key` says why (translated by the caller)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class ProcessedPhoto:
    """What gets stored: a clean JPEG, its thumbnail, hashes and the capture time."""

    data: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str
    phash: str
    captured_at: datetime | None
    source_format: str


def ingest(raw: bytes, *, max_bytes: int, long_side: int = LONG_SIDE,
           thumb_side: int = THUMB_SIDE, max_pixels: int = MAX_PIXELS) -> ProcessedPhoto:
    """Turn an upload into a stored photo, or raise PhotoRejected."""
    if len(raw) > max_bytes:
        raise PhotoRejected("too_large", limit_mb=max_bytes // (1024 * 1024))
    if not raw:
        raise PhotoRejected("not_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected("too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise PhotoRejected("not_image") from None
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoRejected("unsupported_format", format=image.format or "?")
    if image.format == "PNG" and _png_has_trailing_data(raw):
        raise PhotoRejected("trailing_data")
    width, height = image.size
    if width * height > max_pixels:
        raise PhotoRejected("too_many_pixels")
    captured_at = capture_time(image)
    if image.format == "JPEG":
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale while the result keeps at least half
        # the target size: a 4000 x 3000 photo decodes straight to 2000 x 1500, no resize.
        image.draft("RGB", (long_side // 2, long_side // 2))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRejected("truncated") from None
    source_format = image.format
    image = ImageOps.exif_transpose(image)
    image = _pixels_only(_to_srgb(_to_rgb(image), image.info.get("icc_profile")))
    image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    thumb = image.copy()
    thumb.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return ProcessedPhoto(
        data=_jpeg(image, 85),
        thumbnail=_jpeg(thumb, 80),
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(raw).hexdigest(),
        phash=str(imagehash.phash(thumb)),
        captured_at=captured_at,
        source_format=source_format,
    )


def capture_time(image: Image.Image) -> datetime | None:
    """DateTimeOriginal (with its offset when the camera wrote one), else None."""
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - a broken EXIF block must not refuse the photo
        return None
    details = exif.get_ifd(_EXIF_IFD)
    stamp = details.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    if not isinstance(stamp, str):
        return None
    try:
        moment = datetime.strptime(stamp.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = details.get(_OFFSET_ORIGINAL)
    if isinstance(offset, str) and len(offset) >= 6 and offset[0] in "+-":
        try:
            sign = 1 if offset[0] == "+" else -1
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
            return moment.replace(tzinfo=tz)
        except ValueError:
            return None
    return moment  # naive: the caller reads it in the branch's timezone


_METADATA_MARKERS = frozenset(range(0xE1, 0xF0)) | {0xFE}  # APP1..APP15 (EXIF, XMP, ICC), COM
_STANDALONE_MARKERS = frozenset(range(0xD0, 0xD8)) | {0x01}  # RSTn, TEM: no length field


def strip_jpeg_metadata(data: bytes) -> bytes:
    """The same JPEG without its APP1..APP15 and COM segments, every other byte kept: for
    photos stored before the pipeline rebuilt images from pixels (no re-encoding, so no
    quality is lost and the picture is the same). Anything that is not a JPEG whose header
    reads cleanly is returned unchanged."""
    if data[:2] != b"\xff\xd8":
        return data
    out, at = [data[:2]], 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return data
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker in _STANDALONE_MARKERS:
            out.append(data[at:at + 2])
            at += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan: the rest is image data
            out.append(data[at:])
            return b"".join(out)
        end = at + 2 + int.from_bytes(data[at + 2:at + 4], "big")
        if end > len(data):
            return data
        if marker not in _METADATA_MARKERS:
            out.append(data[at:end])
        at = end
    return data


def _png_has_trailing_data(raw: bytes) -> bool:
    """Bytes after the IEND chunk (a script or archive smuggled behind a picture)."""
    end = raw.rfind(b"IEND")
    return end == -1 or len(raw) > end + 8


def hamming(a: str, b: str) -> int:
    """Bits that differ between two perceptual hashes (0 = the same picture)."""
    return imagehash.hex_to_hash(a) - imagehash.hex_to_hash(b)


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _to_srgb(image: Image.Image, profile: bytes | None) -> Image.Image:
    """Apply the photo's colour profile (a phone's Display P3, say) so the colours stay
    right once the profile is gone; a profile that cannot be read is ignored."""
    if not profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


_SRGB = ImageCms.createProfile("sRGB")


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding the pixels and nothing else (no info, no EXIF, no profile)."""
    return Image.frombytes("RGB", image.size, image.tobytes())


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()
