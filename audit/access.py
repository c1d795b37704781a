"""Who may see and do what: every page and API endpoint scopes its queries here.

A shopper sees their own visits; a quality manager their brand; a franchise owner the
published visits of their franchisee's branches and never a shopper's identity; an admin
everything. Records outside a user's scope raise `OutOfScope` (answered 404), so ids reveal
nothing; a role that may not do something at all raises `Forbidden` (403). What a role may
do or see is decided here only, by named rules (`can_review`, `works_across_brands`, ...):
pages and blueprints are guarded with `require(rule)` and `guard(blueprint, rule)`, and
templates call the same rules (exposed to them as `access`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint
from flask_login import current_user, login_required
from sqlalchemy import Select, false, func, select

from audit.errors import Forbidden, OutOfScope
from audit.extensions import db
from audit.models.actions import CorrectiveAction
from audit.models.auth import User
from audit.models.campaigns import Campaign, campaign_branches
from audit.models.checklists import Checklist, ChecklistVersion, Question, Section
from audit.models.disputes import Dispute
from audit.models.notifications import Notification
from audit.models.orgs import Branch, Brand, Franchisee, Region
from audit.models.reports import Report
from audit.models.targets import Target
from audit.models.triggers import ScoreTrigger
from audit.models.visits import Visit
from audit.vocabulary import (
    ACTION_STATUSES,
    COUNTED,
    COUNTED_WITH_SUBMITTED,
    SHOPPER_EDITABLE,
)

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., Any])
Rule = Callable[[User], bool]
"""A named rule of this module about what a user's role may do (`can_review`, ...)."""


def require(rule: Rule) -> Callable[[View], View]:
    """Guard a view: a log-in first (a page redirects to it), then `rule(current_user)`,
    else `Forbidden` (403), before the view runs."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not rule(current_user):
                raise Forbidden
            return view(*args, **kwargs)

        return login_required(checked)  # type: ignore[return-value]

    return decorate


def guard(blueprint: Blueprint, rule: Rule) -> None:
    """Every page of `blueprint` requires a log-in and `rule` (checked before each view)."""
    blueprint.before_request(require(rule)(_nothing))


def _nothing() -> None:
    return None


def visits_query(user: User) -> Select[tuple[Visit]]:
    """The visits `user` may read."""
    query = select(Visit)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.join(Visit.branch).where(Branch.brand_id == user.brand_id)
        case "franchise_owner":
            return (
                query.join(Visit.branch)
                .where(Branch.franchisee_id == user.franchisee_id)
                .where(Visit.is_published)
            )
        case "shopper":
            return query.where(Visit.shopper_id == user.id)
    return query.where(false())


def branches_query(user: User) -> Select[tuple[Branch]]:
    """The branches `user` may read (a shopper: those they have a visit at)."""
    query = select(Branch)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Branch.brand_id == user.brand_id)
        case "franchise_owner":
            return query.where(Branch.franchisee_id == user.franchisee_id)
        case "shopper":
            mine = select(Visit.branch_id).where(Visit.shopper_id == user.id)
            return query.where(Branch.id.in_(mine))
    return query.where(false())


def campaigns_query(user: User) -> Select[tuple[Campaign]]:
    """The campaigns `user` may read."""
    query = select(Campaign)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Campaign.brand_id == user.brand_id)
        case "franchise_owner":
            owned = (
                select(campaign_branches.c.campaign_id)
                .join(Branch, Branch.id == campaign_branches.c.branch_id)
                .where(Branch.franchisee_id == user.franchisee_id)
            )
            return query.where(Campaign.id.in_(owned))
        case "shopper":
            mine = select(Visit.campaign_id).where(Visit.shopper_id == user.id)
            return query.where(Campaign.id.in_(mine))
    return query.where(false())


def campaign_branches_query(user: User) -> Select[tuple[int, int]]:
    """(campaign id, branch id) of the campaigns' branches `user` may see: a shopper only
    the branches of their own visits in that campaign (not every branch they visited in
    any campaign), the others the campaign's branches within their scope."""
    pairs = select(campaign_branches.c.campaign_id, campaign_branches.c.branch_id)
    if user.role == "shopper":
        mine = select(Visit.campaign_id, Visit.branch_id).where(Visit.shopper_id == user.id)
        return pairs.where(
            db.tuple_(campaign_branches.c.campaign_id, campaign_branches.c.branch_id).in_(mine))
    visible = branches_query(user).with_only_columns(Branch.id)
    return pairs.where(campaign_branches.c.branch_id.in_(visible))


def checklists_query(user: User) -> Select[tuple[Checklist]]:
    """The checklists `user` may read (a shopper: those of their visits)."""
    query = select(Checklist)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Checklist.brand_id == user.brand_id)
        case "franchise_owner":
            brand_id = user.franchisee.brand_id if user.franchisee else None
            return query.where(Checklist.brand_id == brand_id)
        case "shopper":
            mine = (
                select(ChecklistVersion.checklist_id)
                .join(Visit, Visit.checklist_version_id == ChecklistVersion.id)
                .where(Visit.shopper_id == user.id)
            )
            return query.where(Checklist.id.in_(mine))
    return query.where(false())


def readable_versions(user: User, checklist: Checklist) -> list[ChecklistVersion]:
    """Managers and admins read drafts too; everyone else only published versions."""
    if can_review(user):
        return list(checklist.versions)
    return [v for v in checklist.versions if v.published_at is not None]


def get_in_scope(query: Select[tuple[T]], model: type, ident: int) -> T:
    """Fetch one record by id inside a scoped query; `OutOfScope` when out of scope or
    absent (the two are one answer, 404)."""
    row = db.session.scalars(query.where(model.id == ident)).first()
    if row is None:
        raise OutOfScope
    return row


def visit_for(user: User, visit_id: int) -> Visit:
    """The visit if `user` may read it, else OutOfScope."""
    return get_in_scope(visits_query(user), Visit, visit_id)


def can_see_shopper(user: User) -> bool:
    """Shopper identities are for managers and admins only (mystery-shopping codes)."""
    return user.role in ("admin", "quality_manager")


def can_see_reviewer(user: User) -> bool:
    """Who reviewed or changed a visit's answers is named to managers and admins; owners and
    shoppers read "the quality team" (as the portal says of a dispute's decision)."""
    return user.role in ("admin", "quality_manager")


def has_own_visits(user: User) -> bool:
    """A shopper's work is their own visits (their start page lists them)."""
    return user.role == "shopper"


def owns_visit(user: User, visit: Visit) -> bool:
    """The visit is this shopper's own."""
    return has_own_visits(user) and visit.shopper_id == user.id


def can_fill(user: User, visit: Visit) -> bool:
    """A shopper edits their own visit while it is assigned, in progress or returned."""
    return owns_visit(user, visit) and visit.status in SHOPPER_EDITABLE


def can_resubmit(user: User, visit: Visit) -> bool:
    """Submitting a submitted or published visit again changes nothing: its shopper or an
    admin may (the answer repeats the visit)."""
    return visit.shopper_id == user.id or user.role == "admin"


def can_see_scores(user: User, visit: Visit) -> bool:
    """Scores of a visit in scope; a shopper sees only the stored scores of their own
    report once submitted (never a branch's aggregate, see `can_compare`)."""
    if user.role == "shopper":
        return visit.shopper_id == user.id and visit.scored_at is not None
    return True


def can_review(user: User) -> bool:
    """Reviewing, editing, returning and publishing visits is the managers' work."""
    return user.role in ("admin", "quality_manager")


def can_compare(user: User) -> bool:
    """Branch comparisons are for managers, owners (their branches) and admins."""
    return user.role in ("admin", "quality_manager", "franchise_owner")


def counted_statuses(user: User, include_submitted: bool) -> tuple[str, ...]:
    """The visit statuses a comparison or a target's progress counts for `user`: published
    visits everywhere; managers may add submitted ones, labelled."""
    if include_submitted and can_see_shopper(user):
        return COUNTED_WITH_SUBMITTED
    return COUNTED


# Disputes and targets (issue 5) -------------------------------------------------------


def disputes_query(user: User) -> Select[tuple[Dispute]]:
    """The disputes `user` may read: a manager their brand's, an owner their branches'."""
    query = select(Dispute).join(Dispute.visit).join(Visit.branch)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Branch.brand_id == user.brand_id)
        case "franchise_owner":
            return query.where(Branch.franchisee_id == user.franchisee_id)
    return query.where(false())


def can_dispute(user: User) -> bool:
    """Only a franchise owner disputes an answer (of a published visit of their branches)."""
    return user.role == "franchise_owner"


def targets_query(user: User) -> Select[tuple[Target]]:
    """The targets `user` may manage: a manager their brand's, an admin all."""
    query = select(Target)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Target.brand_id == user.brand_id)
    return query.where(false())


def can_manage_targets(user: User) -> bool:
    """Setting targets is a brand's quality managers' work, and an admin's for the brand
    they pick (`managed_brand`)."""
    return can_review(user)


# --- Organisation, campaigns and the job board (issue 5) ---------------------------------


def can_manage_orgs(user: User) -> bool:
    """Branches, regions, franchisees, campaigns and assignments are the managers' work."""
    return user.role in ("admin", "quality_manager")


def can_handle_personal_data(user: User) -> bool:
    """Exporting or erasing one person's data (subject access, erasure) is an admin's job."""
    return user.role == "admin"


def can_claim(user: User) -> bool:
    """Only shoppers take visits from the job board."""
    return user.role == "shopper"


def brands_query(user: User) -> Select[tuple[Brand]]:
    """The brands whose organisation `user` may manage (an admin: all)."""
    query = select(Brand).order_by(Brand.name)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Brand.id == user.brand_id)
    return query.where(false())


def regions_query(user: User) -> Select[tuple[Region]]:
    """Regions of the brands `user` manages."""
    return select(Region).where(Region.brand_id.in_(brands_query(user).with_only_columns(
        Brand.id)))


def franchisees_query(user: User) -> Select[tuple[Franchisee]]:
    """Franchisees of the brands `user` manages."""
    return select(Franchisee).where(Franchisee.brand_id.in_(
        brands_query(user).with_only_columns(Brand.id)))


def managed_branches_query(user: User) -> Select[tuple[Branch]]:
    """Branches `user` may create, edit and send shoppers to."""
    return select(Branch).where(Branch.brand_id.in_(brands_query(user).with_only_columns(
        Brand.id)))


def managed_campaigns_query(user: User) -> Select[tuple[Campaign]]:
    """Campaigns `user` may edit, generate and assign."""
    return select(Campaign).where(Campaign.brand_id.in_(brands_query(user).with_only_columns(
        Brand.id)))


def managed_brand(user: User, brand_id: int | None) -> Brand:
    """The brand a page works on: a manager's own, or the one an admin picked (the first
    otherwise); another brand's id answers 404."""
    query = brands_query(user)
    if brand_id is not None:
        query = query.where(Brand.id == brand_id)
    brand = db.session.scalars(query).first()
    if brand is None:
        raise OutOfScope
    return brand


def works_across_brands(user: User) -> bool:
    """An admin belongs to no brand: they pick the brand a page works on, and lists name
    each record's brand; everyone else works inside their own."""
    return user.role == "admin"


def shoppers_query(user: User) -> Select[tuple[User]]:
    """The active shopper panel a manager may assign visits to."""
    if not can_manage_orgs(user):
        return select(User).where(false())
    return select(User).where(User.role == "shopper", User.active.is_(True)).order_by(User.name)


# Checklist editor ---------------------------------------------------------------------

def can_edit_checklists(user: User) -> bool:
    """Building and publishing checklists is the quality managers' (and admins') work."""
    return user.role in ("admin", "quality_manager")


def checklist_versions_query(user: User) -> Select[tuple[ChecklistVersion]]:
    """Versions of the checklists `user` may read."""
    scope = checklists_query(user).with_only_columns(Checklist.id)
    return select(ChecklistVersion).where(ChecklistVersion.checklist_id.in_(scope))


def checklist_version_for(user: User, version_id: int) -> ChecklistVersion:
    return get_in_scope(checklist_versions_query(user), ChecklistVersion, version_id)


def checklist_section_for(user: User, section_id: int) -> Section:
    scope = checklist_versions_query(user).with_only_columns(ChecklistVersion.id)
    return get_in_scope(select(Section).where(Section.version_id.in_(scope)), Section,
                        section_id)


def checklist_question_for(user: User, question_id: int) -> Question:
    scope = checklist_versions_query(user).with_only_columns(ChecklistVersion.id)
    return get_in_scope(select(Question).where(Question.version_id.in_(scope)), Question,
                        question_id)


# Corrective actions ----------------------------------------------------------------------


OWNER_ACTION_TARGETS = frozenset({"in_progress", "done"})


def actions_query(user: User) -> Select[tuple[CorrectiveAction]]:
    """The corrective actions `user` may read: managers their brand, owners the actions of
    their franchisee's branches once the source visit is published, shoppers none."""
    query = select(CorrectiveAction)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(CorrectiveAction.brand_id == user.brand_id)
        case "franchise_owner":
            owned = select(Branch.id).where(Branch.franchisee_id == user.franchisee_id)
            published = select(Visit.id).where(Visit.is_published)
            return query.where(
                CorrectiveAction.branch_id.in_(owned),
                CorrectiveAction.visit_id.is_(None) | CorrectiveAction.visit_id.in_(published),
            )
    return query.where(false())


def can_see_actions(user: User) -> bool:
    """Managers, admins and franchise owners work on corrective actions; shoppers never."""
    return user.role in ("admin", "quality_manager", "franchise_owner")


def action_for(user: User, action_id: int) -> CorrectiveAction:
    """The action if `user` may read it, else OutOfScope."""
    return get_in_scope(actions_query(user), CorrectiveAction, action_id)


def score_triggers_query(user: User) -> Select[tuple[ScoreTrigger]]:
    """The score-trigger rules of the brands `user` manages (a manager's own, an admin's
    every brand)."""
    return select(ScoreTrigger).where(ScoreTrigger.brand_id.in_(
        brands_query(user).with_only_columns(Brand.id)))


def brand_managers_query(brand_id: int) -> Select[tuple[User]]:
    """The active quality managers of a brand: who hears of its visits' deadlines and
    score alerts (an admin, who sees every brand, is not told of each one)."""
    return select(User).where(User.role == "quality_manager", User.brand_id == brand_id,
                              User.active.is_(True)).order_by(User.id)


def franchise_owners_query(franchisee_id: int | None) -> Select[tuple[User]]:
    """The franchise owners of a franchisee (the branch's side of its actions)."""
    return select(User).where(User.role == "franchise_owner",
                              User.franchisee_id == franchisee_id)


def action_assignees_query(branch: Branch) -> Select[tuple[User]]:
    """Who an action at `branch` can be given to: the brand's active quality managers and
    the active owners of the branch's franchisee."""
    who = (User.role == "quality_manager") & (User.brand_id == branch.brand_id)
    if branch.franchisee_id is not None:
        who = who | ((User.role == "franchise_owner")
                     & (User.franchisee_id == branch.franchisee_id))
    return select(User).where(User.active.is_(True), who)


def can_manage_actions(user: User) -> bool:
    """Raising actions, changing severity, due date or assignee, and verifying: managers."""
    return user.role in ("admin", "quality_manager")


def action_targets(user: User, action: CorrectiveAction) -> list[str]:
    """The statuses `user` may move an action (already in scope) to: an owner only to in
    progress or done, never to verified."""
    allowed = [s for s in ACTION_STATUSES if action.can_move(s)]
    if can_manage_actions(user):
        return allowed
    if user.role == "franchise_owner":
        return [s for s in allowed if s in OWNER_ACTION_TARGETS]
    return []


def can_work_on_action(user: User, action: CorrectiveAction) -> bool:
    """Comment and add evidence: managers always, an owner until the fix is verified."""
    if can_manage_actions(user):
        return True
    return user.role == "franchise_owner" and action.status != "verified"


# Franchise owner's portal (issue 6) ------------------------------------------------------


def can_use_portal(user: User) -> bool:
    """The portal is a franchise owner's view of their own branches; managers and admins
    work in the workspace (review, comparison), which shows them more."""
    return user.role == "franchise_owner" and user.franchisee_id is not None


def portal_campaigns_query(user: User) -> Select[tuple[Campaign]]:
    """Campaigns with at least one published visit of the owner's branches, newest first."""
    published = visits_query(user).with_only_columns(Visit.campaign_id)
    return (campaigns_query(user).where(Campaign.id.in_(published))
            .order_by(Campaign.starts_on.desc(), Campaign.id.desc()))


# Report library and exports (issue 6) ------------------------------------------------------


def can_use_reports(user: User) -> bool:
    """Managers, admins and franchise owners generate and download reports; shoppers never."""
    return user.role in ("admin", "quality_manager", "franchise_owner")


def reports_query(user: User) -> Select[tuple[Report]]:
    """The library `user` sees: a manager the brand's reports, an owner only the reports they
    requested themselves, an admin all."""
    query = select(Report)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Report.brand_id == user.brand_id)
        case "franchise_owner":
            return query.where(Report.requested_by_id == user.id)
    return query.where(false())


def report_for(user: User, report_id: int) -> Report:
    """The report if `user` may see it, else OutOfScope (Forbidden first for a role without
    reports)."""
    if not can_use_reports(user):
        raise Forbidden
    return get_in_scope(reports_query(user), Report, report_id)


def scoped_to_own_franchisee(user: User) -> bool:
    """A franchise owner's comparisons and reports cover their own franchisee's branches
    only, and never name another franchisee."""
    return user.role == "franchise_owner"


def export_visits_query(user: User, campaign_id: int) -> Select[tuple[Visit]]:
    """The campaign's visits an export may hold: the user's readable visits (an owner: the
    published visits of their branches), scored ones only."""
    return visits_query(user).where(Visit.campaign_id == campaign_id,
                                    Visit.scored_at.is_not(None))


# People (user management) ----------------------------------------------------------------


def can_manage_people(user: User) -> bool:
    """The People area: an admin manages everyone; a quality manager the franchise owners of
    their brand's franchisees (shoppers are a panel shared by every brand: the admin's)."""
    return user.role == "admin" or (user.role == "quality_manager" and user.brand_id is not None)


def people_query(user: User) -> Select[tuple[User]]:
    """The people `user` may see and manage in the People area."""
    query = select(User)
    match user.role:
        case "admin":
            return query
        case "quality_manager" if user.brand_id is not None:
            brand_franchisees = select(Franchisee.id).where(Franchisee.brand_id == user.brand_id)
            return query.where(User.role == "franchise_owner",
                               User.franchisee_id.in_(brand_franchisees))
    return query.where(false())


def creatable_roles(user: User) -> tuple[str, ...]:
    """The roles of the accounts `user` may create, the most common first (and so the form's
    default: a slip creates a shopper, never an admin)."""
    if user.role == "admin":
        return ("shopper", "franchise_owner", "quality_manager", "admin")
    if can_manage_people(user):
        return ("franchise_owner",)
    return ()


def person_for(user: User, person_id: int) -> User:
    """The person if `user` may manage them, else OutOfScope (another brand's owner, an
    admin or a manager named by a forged id reveals nothing)."""
    return get_in_scope(people_query(user), User, person_id)


def can_manage_person(user: User, person: User) -> bool:
    """Edit, set a password, unlock: a person in `user`'s scope who was not erased (an
    erased account is a pseudonym kept for the history it is named in)."""
    if person.erased_at is not None or not can_manage_people(user):
        return False
    return db.session.scalar(people_query(user).where(User.id == person.id)
                             .with_only_columns(User.id)) is not None


def can_deactivate(user: User, person: User) -> bool:
    """Never oneself: an admin who deactivated themselves could lock out the only admin."""
    return person.id != user.id and can_manage_person(user, person)


def is_last_admin(user: User) -> bool:
    """The only active admin left (erasing them would leave nobody to manage the others)."""
    return user.role == "admin" and not db.session.scalar(
        select(func.count()).select_from(User).where(
            User.role == "admin", User.id != user.id, User.active.is_(True),
            User.erased_at.is_(None)))


def has_notifications(user: User) -> bool:
    """Everybody logged in has a bell, their preferences and their own messages."""
    return user.is_authenticated


def notifications_query(user: User) -> Select[tuple[Notification]]:
    """A person's own messages; nobody reads another's, an admin included."""
    return select(Notification).where(Notification.user_id == user.id)


def notification_for(user: User, notification_id: int) -> Notification:
    return get_in_scope(notifications_query(user), Notification, notification_id)


def can_read_delivery_log(user: User) -> bool:
    """The delivery log names every recipient and mail error: administrators only."""
    return user.is_authenticated and user.role == "admin"
# Who hears of an event (issue 16) ---------------------------------------------------------
# A message names a record, so it goes only to people who may read that record: these
# queries give the people of one scope, and `may_read_*` check one person against one record
# with the same scoped queries the pages use.


def admins_query() -> Select[tuple[User]]:
    """The active administrators (they see every brand)."""
    return select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id)


def branch_owners_query(branch: Branch) -> Select[tuple[User]]:
    """The active franchise owners of the branch's franchisee (none for a company branch)."""
    if branch.franchisee_id is None:
        return select(User).where(false())
    return franchise_owners_query(branch.franchisee_id).where(
        User.active.is_(True)).order_by(User.id)


def may_read_visit(user: User, visit_id: int) -> bool:
    """`user` may read the visit now (an owner: only once it is published)."""
    return db.session.scalar(visits_query(user).where(Visit.id == visit_id)
                             .with_only_columns(Visit.id)) is not None


def may_read_action(user: User, action_id: int) -> bool:
    """`user` may read the corrective action now."""
    return db.session.scalar(actions_query(user).where(CorrectiveAction.id == action_id)
                             .with_only_columns(CorrectiveAction.id)) is not None
