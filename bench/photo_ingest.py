"""Benchmark: ingest of a 12-megapixel JPEG (target < 0.5 s), beside the floor of a plain
full-size Pillow decode of the same file, measured in the same run.

Run: .venv/bin/python bench/photo_ingest.py [repeats]
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from audit.evidence.pipeline import ingest  # noqa: E402


def twelve_megapixels() -> bytes:
    """A 4000 x 3000 photo-like JPEG with EXIF (orientation 6, capture time, GPS)."""
    image = Image.effect_noise((4000, 3000), 60).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(40):
        draw.rectangle((i * 97, i * 61, i * 97 + 600, i * 61 + 400), outline=(i * 6, 90, 200),
                       width=12)
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8769)[0x9003] = "2026:11:20 09:15:00"
    exif.get_ifd(0x8825)[2] = (10.0, 46.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main(repeats: int = 10) -> None:
    raw = twelve_megapixels()
    ingest_times = timed(lambda: ingest(raw, max_bytes=25 * 1024 * 1024), repeats)
    floor_times = timed(lambda: Image.open(io.BytesIO(raw)).load(), repeats)
    print(f"input: 4000x3000 JPEG, {len(raw) / 1e6:.1f} MB, {repeats} runs")
    print(f"ingest (draft decode, orient, 2048 px, thumbnail, hashes): "
          f"median {statistics.median(ingest_times):.3f} s, max {max(ingest_times):.3f} s")
    print(f"floor (Pillow full-size decode only):                      "
          f"median {statistics.median(floor_times):.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
