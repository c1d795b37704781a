"""The brand a manager's page works on, the same way on every such page: a quality manager's
own brand; an admin (who belongs to no brand) picks one with `?brand=<id>` in the brand
picker (`orgs/_brand_picker.html`), the first by name otherwise, and the page's links,
forms and redirects carry the choice on. A brand outside the user's reach answers 404."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from audit import access
from audit.extensions import db
from audit.ids import parse_id
from audit.models.orgs import Brand
from audit.textsort import by_name


def chosen_brand() -> Brand:
    """The brand named by `?brand=` (an admin's pick), or the user's own."""
    return access.managed_brand(current_user, request.args.get("brand", type=parse_id))


def brand_args(brand: Brand) -> dict[str, int]:
    """Query arguments that keep an admin on the brand they picked (none for a manager)."""
    return {"brand": brand.id} if access.works_across_brands(current_user) else {}


def picker_context(brand: Brand) -> dict[str, Any]:
    """What a page with the brand picker renders: the brand, the brands to choose from (an
    admin's only) and the arguments its links carry."""
    brands = (by_name(db.session.scalars(access.brands_query(current_user)))
              if access.works_across_brands(current_user) else [brand])
    return {"brand": brand, "brands": brands, "brand_args": brand_args(brand)}
