"""Plausible answers for a visit, drawn from a branch's service quality (pure, seeded)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from audit.scoring import AnswerValue, QuestionSpec

STAFF_NOTES = (
    "Nữ nhân viên, áo đồng phục xanh, bảng tên 'Lan'.",
    "Nam nhân viên trẻ, đeo kính, không đeo bảng tên.",
    "Quản lý ca, áo sơ mi trắng, tóc ngắn.",
    "Hai nhân viên ở quầy, một người đang dùng điện thoại cá nhân.",
)
NOTES = (
    "Cửa hàng đông khách vào giờ trưa, nhân viên vẫn chào hỏi chu đáo.",
    "Nhân viên giải thích rõ các gói trả góp và đưa tờ rơi.",
    "Phải tự đi tìm nhân viên; khu trưng bày có vài máy mẫu hỏng.",
    "Tư vấn nhanh nhưng không hỏi lại nhu cầu, kết thúc vội.",
)


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def draw_answers(
    rng: random.Random,
    specs: Sequence[QuestionSpec],
    quality: float,
    offsets: Mapping[str, float],
    *,
    complete: float = 1.0,
) -> dict[str, AnswerValue]:
    """Answers whose pass rates follow `quality` (0..1) plus per-dimension `offsets`.

    `complete` < 1 answers only the first part of the checklist (a visit in progress).
    """
    answers: dict[str, AnswerValue] = {}
    cutoff = max(1, int(len(specs) * complete))
    for spec in specs[:cutoff]:
        p = _clamp(quality + offsets.get(spec.dimension or "", 0.0) + rng.gauss(0, 0.08))
        if spec.critical:
            p = 1 - (1 - p) * 0.3
        if spec.allow_na and rng.random() < 0.08:
            answers[spec.code] = AnswerValue(na=True)
            continue
        value = _value(rng, spec, p)
        if value is not None:
            answers[spec.code] = AnswerValue(value=value)
    return answers


def _value(rng: random.Random, spec: QuestionSpec, p: float) -> Any:
    if spec.kind == "yes_no":
        passed = rng.random() < p
        return (not passed) if spec.no_passes else passed
    if spec.kind == "scale":
        low = int(spec.min_value if spec.min_value is not None else 1)
        high = int(spec.max_value or 5)
        share = _clamp(p + rng.gauss(0, 0.12))
        if spec.kpi == "ces":  # effort: low is good
            share = 1 - share
        return low + round(share * (high - low))
    if spec.kind == "choice" and spec.options:
        target = _clamp(p + rng.gauss(0, 0.15))
        return min(spec.options, key=lambda option: abs(spec.options[option] - target))
    if spec.kind == "number":
        return _number(rng, spec, p)
    if spec.kind == "text":
        return rng.choice(STAFF_NOTES if "staff" in spec.code.lower() else NOTES)
    return None


def _number(rng: random.Random, spec: QuestionSpec, p: float) -> float:
    low = spec.min_value or 0
    high = spec.max_value if spec.max_value is not None else 10_000
    if spec.pass_max is None and spec.pass_min is None:
        return round(rng.uniform(low, min(high, 48)))
    band_low = spec.pass_min if spec.pass_min is not None else low
    band_high = spec.pass_max if spec.pass_max is not None else high
    if rng.random() < p:
        value = rng.uniform(band_low, band_high)
    else:
        value = band_high + 1 + rng.expovariate(1 / max(1.0, band_high))
    return round(min(high, max(low, value)))
