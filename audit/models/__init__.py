"""The records of every feature, one module per feature (`audit.models.visits`, ...): the
data layer under the access rules (`audit.access`) and the features' services and views,
which is why the models are not inside the feature folders. The modules import only each
other and `audit.core`. Importing the package loads every model, so the metadata Alembic
compares against is complete."""

from audit.models.actions import ActionComment, ActionPhoto, CorrectiveAction
from audit.models.auditlog import AuditLog
from audit.models.auth import ApiToken, LoginSession, User
from audit.models.campaigns import Campaign, campaign_branches
from audit.models.checklists import Checklist, ChecklistVersion, Question, Section
from audit.models.disputes import Dispute
from audit.models.leases import Lease
from audit.models.notifications import Notification, NotificationPreference
from audit.models.orgs import Branch, Brand, Franchisee, Region
from audit.models.reports import Report
from audit.models.targets import Target
from audit.models.triggers import ScoreTrigger
from audit.models.visits import Answer, Photo, Visit

__all__ = [
    "ActionComment", "ActionPhoto", "CorrectiveAction",
    "Answer", "ApiToken", "AuditLog", "Branch", "Brand", "Campaign", "Checklist",
    "ChecklistVersion", "Dispute", "Franchisee", "Lease", "LoginSession", "Notification",
    "NotificationPreference", "Photo",
    "Question", "Region",
    "Report", "ScoreTrigger", "Section",
    "Target", "User", "Visit", "campaign_branches",
]
