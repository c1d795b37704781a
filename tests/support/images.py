"""Images made in memory by Pillow, for uploads and the photo pipeline."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def jpeg(*, size=(800, 600), colour=(120, 160, 200)) -> bytes:
    """A plain JPEG of one colour."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def picture(size=(1200, 800), seed=0) -> Image.Image:
    """A picture with two shapes (`seed` moves them), so perceptual hashes differ."""
    image = Image.new("RGB", size, (200, 210, 220))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((w * 0.1, h * 0.1, w * (0.3 + seed * 0.1), h * 0.6), fill=(200, 30, 30))
    draw.ellipse((w * 0.5, h * 0.2, w * 0.9, h * (0.5 + seed * 0.1)), fill=(20, 60, 160))
    return image


def encode(image: Image.Image, fmt="JPEG", exif=None, **kw) -> bytes:
    """`image` saved in `fmt`, with an EXIF block when one is given."""
    out = io.BytesIO()
    if exif is not None:
        kw["exif"] = exif
    image.save(out, fmt, **kw)
    return out.getvalue()


def exif_block(orientation=None, when=None, offset=None, gps=True):
    """EXIF with an orientation, a capture time and its offset, and a GPS latitude."""
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if when:
        exif.get_ifd(0x8769)[0x9003] = when
    if offset:
        exif.get_ifd(0x8769)[0x9011] = offset
    if gps:
        exif.get_ifd(0x8825)[2] = (10.0, 46.0, 30.0)  # GPSLatitude
    return exif
