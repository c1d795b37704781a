"""Presence check-in: where the shopper's phone was on arrival, against the branch.

A campaign may ask for it (off by default). The distance is the great-circle distance from
the branch's coordinates; beyond the campaign's radius the visit is flagged for the reviewer.
Without the phone's permission or a position, or without branch coordinates, the visit goes
on and the reviewer sees why there is no distance. Owners never see any of it.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.auth import User
from audit.models.visits import CheckIn, Visit

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
REFUSALS = ("denied", "unavailable")


class CheckInRefused(Exception):
    """The campaign does not ask for a check-in, or the position is not a position."""


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in metres between two WGS 84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def record_check_in(visit: Visit, actor: User, *, latitude: float | None = None,
                    longitude: float | None = None, accuracy_m: float | None = None,
                    device_at: datetime | None = None, refused: str | None = None) -> CheckIn:
    """Store the check-in (replacing an earlier one) and say where it stands."""
    campaign = visit.campaign
    if not campaign.check_in:
        raise CheckInRefused("not_asked")
    if refused is None and not _position(latitude, longitude):
        raise CheckInRefused("bad_position")
    if refused is not None and refused not in REFUSALS:
        raise CheckInRefused("bad_reason")
    branch = visit.branch
    row = visit.check_in
    if row is None:
        row = CheckIn()
        db.session.add(row)
        visit.check_in = row
    row.radius_m = campaign.check_in_radius_m
    row.accuracy_m = accuracy_m if accuracy_m is not None and 0 <= accuracy_m < 1e6 else None
    row.device_at = device_at if _plausible(device_at) else None
    row.recorded_at = utcnow()
    if refused:
        row.status, row.latitude, row.longitude, row.distance_m = refused, None, None, None
    else:
        row.latitude, row.longitude = latitude, longitude
        if branch.latitude is None or branch.longitude is None:
            row.status, row.distance_m = "no_branch_location", None
        else:
            row.distance_m = round(distance_m(latitude, longitude, branch.latitude,
                                              branch.longitude), 1)
            row.status = "inside" if row.distance_m <= row.radius_m else "outside"
    db.session.commit()
    return row


def _position(latitude: float | None, longitude: float | None) -> bool:
    return (isinstance(latitude, int | float) and isinstance(longitude, int | float)
            and math.isfinite(latitude) and math.isfinite(longitude)
            and -90 <= latitude <= 90 and -180 <= longitude <= 180)


def _plausible(moment: datetime | None) -> bool:
    return (moment is not None and moment.tzinfo is not None
            and moment <= datetime.now(UTC) + timedelta(minutes=10))
