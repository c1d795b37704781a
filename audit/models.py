"""Import every model so the metadata Alembic compares against is complete."""

from audit.actions.models import ActionComment, ActionPhoto, CorrectiveAction
from audit.auditlog.models import AuditLog
from audit.auth.models import ApiToken, LoginSession, User
from audit.campaigns.models import Campaign, campaign_branches
from audit.checklists.models import Checklist, ChecklistVersion, Question, Section
from audit.disputes.models import Dispute
from audit.orgs.models import Branch, Brand, Franchisee, Region
from audit.reports.models import Report
from audit.targets.models import Target
from audit.visits.models import Answer, Photo, Visit

__all__ = [
    "ActionComment", "ActionPhoto", "CorrectiveAction",
    "Answer", "ApiToken", "AuditLog", "Branch", "Brand", "Campaign", "Checklist",
    "ChecklistVersion", "Dispute", "Franchisee", "LoginSession", "Photo", "Question", "Region",
    "Report", "Section",
    "Target", "User", "Visit", "campaign_branches",
]
