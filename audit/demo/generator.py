"""Build the demo data set (or a large one for benchmarks) through the real models."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import insert

from audit.actions.demo import replay_published
from audit.checklists.importer import load_bundled
from audit.core.clock import utcnow
from audit.demo import data, photos
from audit.demo.answers import draw_answers
from audit.demo.messages import announce_recent
from audit.demo.quality import add_disputes_and_targets
from audit.evidence.pipeline import ingest
from audit.extensions import db
from audit.models.auditlog import AuditLog
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.orgs import Branch, Brand, Franchisee, Region
from audit.models.visits import Answer, Photo, Visit
from audit.scoring import score_visit
from audit.scoring.stored import Basis
from audit.storage import storage_for
from audit.visits.scores import score_columns, version_specs
from audit.vocabulary import ASSIGNED, IN_PROGRESS, OPEN, PUBLISHED, RETURNED, SUBMITTED

# The running campaign cycles through every lifecycle state, so the demo shows them all.
CURRENT_CYCLE = (PUBLISHED, SUBMITTED, IN_PROGRESS, PUBLISHED, ASSIGNED, SUBMITTED,
                 PUBLISHED, RETURNED, ASSIGNED, PUBLISHED, IN_PROGRESS, OPEN)
PATHS = {
    OPEN: (),
    ASSIGNED: ((OPEN, ASSIGNED),),
    IN_PROGRESS: ((OPEN, ASSIGNED), (ASSIGNED, IN_PROGRESS)),
    SUBMITTED: ((OPEN, ASSIGNED), (ASSIGNED, IN_PROGRESS), (IN_PROGRESS, SUBMITTED)),
    RETURNED: ((OPEN, ASSIGNED), (ASSIGNED, IN_PROGRESS), (IN_PROGRESS, SUBMITTED),
               (SUBMITTED, RETURNED)),
    PUBLISHED: ((OPEN, ASSIGNED), (ASSIGNED, IN_PROGRESS), (IN_PROGRESS, SUBMITTED),
                (SUBMITTED, PUBLISHED)),
}
RETURN_NOTE = "Bổ sung ảnh phiếu số thứ tự và mô tả rõ nhân viên đã tư vấn."


@dataclass
class Summary:
    branches: int
    visits: int
    answers: int
    photos: int


def has_data() -> bool:
    return db.session.query(Brand.id).first() is not None


def load(*, scale: int | None = None, visits: int | None = None, seed: int = 2026) -> Summary:
    """Create the demo brand, people, checklists, campaigns and visits in one transaction."""
    rng = random.Random(seed)
    today = date.today()
    brand = Brand(code=data.BRAND["code"], name=data.BRAND["name"],
                  **{f"weight_{d}": w for d, w in data.WEIGHTS.items()})
    region_names = data.REGIONS if not scale else [
        f"{data.REGIONS[i % 3]} {i // 3 + 1}" for i in range(max(3, scale // 25))]
    regions = [Region(brand=brand, name=name) for name in region_names]
    franchisee_names = data.FRANCHISEES if not scale else [
        f"{name} {i + 1}" for i in range(max(1, scale // 100)) for name in data.FRANCHISEES]
    franchisees = [Franchisee(brand=brand, name=name) for name in franchisee_names]
    branches, quality = _branches(brand, regions, franchisees, rng, scale)
    db.session.add_all([brand, *regions, *franchisees, *branches])
    users = _users(brand, franchisees, scale)
    db.session.add_all(users["all"])
    db.session.flush()

    versions = {v.checklist.code: v for v in load_bundled(brand)}
    per_branch = data.CAMPAIGNS[0][3] if not visits else max(
        1, math.ceil(visits / (len(branches) * len(data.CAMPAIGNS))))
    campaigns = []
    for code, name, (start, end), _count, scenario in data.CAMPAIGNS:
        version = versions[code]
        campaigns.append(Campaign(
            brand=brand, checklist_version=version, name=name,
            starts_on=today + timedelta(days=start), ends_on=today + timedelta(days=end),
            visits_per_branch=per_branch, channel=version.channel, scenario=scenario,
            branches=branches, allow_claims=end > 0,
        ))
    db.session.add_all(campaigns)
    db.session.flush()

    builder = _VisitBuilder(rng, today, brand, users["shoppers"], users["manager"], quality)
    for index, campaign in enumerate(campaigns):
        builder.add_campaign(campaign, index, current=index == len(campaigns) - 1,
                             scale=bool(scale))
    summary = builder.flush(with_photos=not scale)
    if not scale:
        replay_published(users["manager"])
        add_disputes_and_targets(brand, users["manager"], users["owners"], today)
        announce_recent(users["manager"])
    db.session.commit()
    return summary


def _branches(brand, regions, franchisees, rng, scale):
    branches, quality = [], {}
    rows = data.BRANCHES if not scale else [
        (f"B{i + 1:04d}", f"Sao Mai {i + 1:04d}", i % len(regions),
         (i % (len(franchisees) * 3)) if i % 3 == 0 else None, f"{i + 1} Đường Demo",
         10 + rng.random() * 11, 105 + rng.random() * 3, rng.uniform(0.5, 0.95))
        for i in range(scale)
    ]
    for code, name, region, franchisee, address, lat, lon, level in rows:
        branch = Branch(
            brand=brand, region=regions[region], code=code, name=name, address=address,
            franchisee=None if franchisee is None else franchisees[franchisee % len(franchisees)],
            latitude=lat, longitude=lon, timezone="Asia/Ho_Chi_Minh",
        )
        branches.append(branch)
        quality[code] = level
    return branches, quality


def _users(brand, franchisees, scale) -> dict[str, Any]:
    def make(email, name, role, **extra):
        user = User(email=email, name=name, role=role, locale="vi", **extra)
        user.set_password(data.PASSWORD)
        return user

    admin = make(*data.ADMIN, "admin")
    manager = make(*data.MANAGER, "quality_manager", brand=brand)
    owners = [make(email, name, "franchise_owner", franchisee=franchisees[i])
              for i, (email, name) in enumerate(data.OWNERS)]
    shopper_rows = list(data.SHOPPERS)
    if scale:
        shopper_rows += [(f"shopper{i}@saomai.demo", f"Shopper {i}")
                         for i in range(len(shopper_rows) + 1, 6 + scale // 10)]
    shoppers = [make(email, name, "shopper") for email, name in shopper_rows]
    if len(shoppers) > 1:
        shoppers[-1].locale = "en"
    return {"all": [admin, manager, *owners, *shoppers], "shoppers": shoppers,
            "manager": manager, "owners": owners}


class _VisitBuilder:
    """Collects visit, answer, photo and audit rows, then inserts them in bulk."""

    def __init__(self, rng, today, brand, shoppers, manager, quality):
        self.rng, self.today, self.brand = rng, today, brand
        self.shoppers, self.manager, self.quality = shoppers, manager, quality
        self.visits: list[dict[str, Any]] = []
        self.answers: list[list[dict[str, Any]]] = []
        self.transitions: list[tuple[tuple[str, str], ...]] = []
        self.photo_plan: list[tuple[str, str | None]] = []
        self.offsets: dict[str, dict[str, float]] = {}
        self.turn = 0
        self.current_turn = -1
        self.todo_for_first = 0
        self.last_shopper: dict[int, int] = {}

    def _offsets(self, code: str) -> dict[str, float]:
        if code not in self.offsets:
            local = random.Random(code)
            self.offsets[code] = {d: local.uniform(-0.12, 0.12) for d in data.WEIGHTS}
        return self.offsets[code]

    def _shopper(self, branch_id: int, status: str) -> User:
        if status in (ASSIGNED, IN_PROGRESS) and self.todo_for_first < 3:
            self.todo_for_first += 1  # the shopper whose login is printed has work to do
            return self.shoppers[0]
        for _ in range(len(self.shoppers)):
            shopper = self.shoppers[self.turn % len(self.shoppers)]
            self.turn += 1
            if self.last_shopper.get(branch_id) != shopper.id or len(self.shoppers) == 1:
                self.last_shopper[branch_id] = shopper.id
                return shopper
        return shopper

    def _status(self, current: bool, scale: bool) -> str:
        if not current:
            if scale:
                return PUBLISHED
            roll = self.rng.random()
            return SUBMITTED if roll < 0.04 else RETURNED if roll < 0.06 else PUBLISHED
        self.current_turn += 1
        return CURRENT_CYCLE[self.current_turn % len(CURRENT_CYCLE)]

    def add_campaign(self, campaign: Campaign, wave: int, *, current: bool, scale: bool) -> None:
        version = campaign.checklist_version
        specs = version_specs(version)
        questions = version.ordered_questions()
        question_ids = {q.code: q.id for q in questions}
        photo_qid = next((q.id for q in questions if q.photo_required or q.kind == "photo"), None)
        basis = Basis(self.brand.servqual_weights, version.critical_policy)
        for branch in campaign.branches:
            level = self.quality[branch.code]
            level += 0.04 * wave if level < 0.7 else 0.0  # weak branches improve over waves
            for _ in range(campaign.visits_per_branch):
                self._add_visit(campaign, branch, specs, question_ids, photo_qid, basis, level,
                                current, scale)

    def _add_visit(self, campaign, branch, specs, question_ids, photo_qid, basis, level,
                   current, scale):
        status = self._status(current, scale)
        last_day = min(campaign.ends_on, self.today - timedelta(days=1))
        span = max(0, (last_day - campaign.starts_on).days)
        day = campaign.starts_on + timedelta(days=self.rng.randint(0, span))
        if status == SUBMITTED and current:  # waiting for review: sent in the last days, so
            # the queue shows time left as well as overdue (no draw added: the rest is alike)
            back = (day - campaign.starts_on).days % 2
            day = max(campaign.starts_on, last_day - timedelta(days=back))
        local_hour = self.rng.randint(9, 19)
        visited_at = datetime.combine(day, time(local_hour - 7, self.rng.randint(0, 59)), UTC)
        due_until = campaign.ends_on
        if status == ASSIGNED and self.rng.random() < 0.3:
            due_until = max(campaign.starts_on, self.today - timedelta(days=2))
        row: dict[str, Any] = {
            "campaign_id": campaign.id, "branch_id": branch.id,
            "checklist_version_id": campaign.checklist_version_id, "status": status,
            "channel": campaign.channel, "due_from": campaign.starts_on, "due_until": due_until,
            "shopper_id": None if status == OPEN else self._shopper(branch.id, status).id,
            "facts": {}, "revision": 1,
        }
        answers = {}
        if status not in (OPEN, ASSIGNED):
            complete = 0.5 if status == IN_PROGRESS else 1.0
            answers = draw_answers(self.rng, specs, level, self._offsets(branch.code),
                                   complete=complete)
            result = score_visit(specs, answers, weights=basis.weights,
                                 policy=basis.critical_policy)
            hidden = {r.code for r in result.questions if r.status == "hidden"}
            answers = {code: a for code, a in answers.items() if code not in hidden}
            row.update(self._facts(campaign.channel, visited_at, answers))
            if status != IN_PROGRESS:
                row.update(score_columns(result, basis))
                row["submitted_at"] = min(visited_at + timedelta(hours=self.rng.randint(1, 20)),
                                          utcnow())  # never after the load
            if status == PUBLISHED:
                row["approved_at"] = row["submitted_at"] + timedelta(days=self.rng.randint(1, 4))
            if status == RETURNED:
                row["reviewer_comment"] = RETURN_NOTE
        self.visits.append(row)
        self.answers.append([
            {"question_id": question_ids[code], "value": a.value, "na": a.na}
            for code, a in answers.items()
        ])
        self.transitions.append(PATHS[status])
        if status in (SUBMITTED, PUBLISHED, RETURNED) and campaign.channel == "in_person":
            self.photo_plan.append((branch.code, photo_qid))
        else:
            self.photo_plan.append(None)  # type: ignore[arg-type]

    def _facts(self, channel: str, visited_at: datetime, answers) -> dict[str, Any]:
        if channel == "phone":
            local = visited_at + timedelta(hours=7)
            number = f"028 38{self.rng.randint(10, 99)} {self.rng.randint(1000, 9999)}"
            return {"visited_at": visited_at, "facts": {
                "number_called": number, "called_on": local.date().isoformat(),
                "called_at": local.strftime("%H:%M"),
            }}
        minutes = self.rng.randint(8, 35)
        local = visited_at + timedelta(hours=7)
        staff = self.rng.choice(("Nữ nhân viên tư vấn, bảng tên 'Lan', áo xanh.",
                                 "Nam nhân viên trẻ ở quầy thu ngân, không đeo bảng tên.",
                                 "Quản lý cửa hàng, áo sơ mi trắng."))
        return {
            "visited_at": visited_at, "time_in": visited_at,
            "time_out": visited_at + timedelta(minutes=minutes), "staff_description": staff,
            "facts": {"visited_on": local.date().isoformat(),
                      "time_in": local.strftime("%H:%M"),
                      "time_out": (local + timedelta(minutes=minutes)).strftime("%H:%M"),
                      "staff_description": staff},
        }

    def flush(self, *, with_photos: bool) -> Summary:
        ids = list(db.session.scalars(
            insert(Visit).returning(Visit.id, sort_by_parameter_order=True), self.visits
        ))
        answer_rows = [
            dict(a, visit_id=vid)
            for vid, rows in zip(ids, self.answers, strict=True)
            for a in rows
        ]
        for start in range(0, len(answer_rows), 5000):
            db.session.execute(insert(Answer), answer_rows[start:start + 5000])
        audit_rows = []
        for vid, row, path in zip(ids, self.visits, self.transitions, strict=True):
            for old, new in path:
                actor = self.manager.id if new in (PUBLISHED, RETURNED) else row["shopper_id"]
                audit_rows.append({"actor_id": actor, "entity": "visit", "entity_id": vid,
                                   "action": "status", "field": "status",
                                   "old_value": old, "new_value": new, "reason": ""})
        for start in range(0, len(audit_rows), 5000):
            db.session.execute(insert(AuditLog), audit_rows[start:start + 5000])
        photo_count = self._photos(ids) if with_photos else 0
        return Summary(branches=len({v["branch_id"] for v in self.visits}), visits=len(ids),
                       answers=len(answer_rows), photos=photo_count)

    def _photos(self, ids: list[int]) -> int:
        """Demo pictures go through the real pipeline (hashes, thumbnails, reuse flag)."""
        storage = storage_for(current_app)
        rows, reused, seen = [], None, set()
        for vid, plan, visit in zip(ids, self.photo_plan, self.visits, strict=True):
            if not plan:
                continue
            code, question = plan
            pictures = [(photos.storefront(code, self.rng), None)]
            if question:
                pictures.append((photos.queue_ticket(self.rng.randint(1, 300), self.rng),
                                 question))
            if reused is None:
                reused = pictures[0][0]
            elif len(rows) == 6:  # one picture sent twice, for the reviewer's reuse flag
                pictures[0] = (reused, None)
            for blob, question_id in pictures:
                photo = ingest(blob, max_bytes=len(blob) + 1)
                key = f"visits/{vid}/{photo.sha256[:16]}"
                storage.put(f"{key}.jpg", photo.data)
                storage.put(f"{key}-thumb.jpg", photo.thumbnail)
                rows.append({
                    "visit_id": vid, "caption": "", "storage_key": f"{key}.jpg",
                    "thumb_key": f"{key}-thumb.jpg", "content_type": "image/jpeg",
                    "source_format": photo.source_format, "width": photo.width,
                    "height": photo.height, "size_bytes": len(photo.data),
                    "sha256": photo.sha256, "phash": photo.phash,
                    "captured_at": visit.get("time_in") or visit.get("visited_at"),
                    "uploaded_by_id": visit["shopper_id"], "question_id": question_id,
                    "flags": ["reused"] if photo.sha256 in seen else [],
                })
                seen.add(photo.sha256)
        if rows:
            db.session.execute(insert(Photo), rows)
        return len(rows)
