"""Evidence pictures for the demo, drawn with Pillow so the data set needs no files."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

PALETTE = ((11, 92, 173), (23, 102, 58), (166, 27, 27), (138, 90, 0), (90, 60, 140))


def storefront(code: str, rng: random.Random, size: tuple[int, int] = (800, 600)) -> bytes:
    """A simple storefront sketch: sign, door, windows, with the branch code on the sign."""
    width, height = size
    image = Image.new("RGB", size, (206, 220, 232))
    draw = ImageDraw.Draw(image)
    colour = rng.choice(PALETTE)
    draw.rectangle((0, height * 0.7, width, height), fill=(150, 150, 150))
    draw.rectangle((width * 0.08, height * 0.2, width * 0.92, height * 0.72), fill=(245, 240, 230))
    draw.rectangle((width * 0.08, height * 0.12, width * 0.92, height * 0.24), fill=colour)
    draw.text((width * 0.12, height * 0.15), f"SAO MAI MOBILE  {code}", fill=(255, 255, 255))
    draw.rectangle((width * 0.42, height * 0.38, width * 0.58, height * 0.72), fill=(90, 120, 140))
    for x in (0.14, 0.66):
        draw.rectangle((width * x, height * 0.34, width * (x + 0.2), height * 0.56),
                       fill=(170, 200, 225), outline=(80, 80, 80), width=3)
    for _ in range(rng.randint(1, 4)):  # shoppers on the pavement
        cx = rng.uniform(0.1, 0.9) * width
        draw.ellipse((cx - 12, height * 0.74, cx + 12, height * 0.78), fill=(60, 60, 60))
        draw.rectangle((cx - 10, height * 0.78, cx + 10, height * 0.9), fill=colour)
    return _jpeg(image)


def queue_ticket(number: int, rng: random.Random) -> bytes:
    """A queue ticket or brochure close-up, the evidence some questions ask for."""
    image = Image.new("RGB", (600, 800), (235, 235, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 120, 480, 680), fill=(255, 255, 255), outline=(120, 120, 120), width=4)
    draw.text((170, 170), "SAO MAI MOBILE", fill=(11, 92, 173))
    draw.text((170, 260), f"SO THU TU / TICKET  {number:03d}", fill=(20, 20, 20))
    for row in range(8):
        y = 340 + row * 36
        draw.line((170, y, 170 + rng.randint(120, 280), y), fill=(160, 160, 160), width=6)
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()
