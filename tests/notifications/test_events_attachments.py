"""The files messages attach, made for their recipient: the visit PDF as the recipient may
read it (an owner's copy without the shopper), the comparison report as the recipient may
have it (the stored file for who may download it, an owner's own scoped copy otherwise);
None out of scope."""

from __future__ import annotations

from audit.notifications.core import renderer
from audit.reports import operations as reports
from audit.review import operations as review
from tests.notifications.events_support import SECRET_SHOPPER, submit
from tests.reports.conftest import pdf_text


def _published(world, make_visit, branch=None):
    visit = make_visit(branch=branch or world.a.branches[0])
    submit(visit, world.people.shopper, failing=("P3.2",))
    review.approve(visit, world.people.manager, visit.revision)
    return visit


def test_the_visit_pdf_is_the_recipients_copy(world, make_visit, session):
    visit_pdf = renderer("visit_pdf")
    visit = _published(world, make_visit)
    world.people.owner.locale = "vi"
    name, data, media = visit_pdf(world.people.owner, visit.id)
    assert (name, media) == (f"visit-{visit.id}-vi.pdf", "application/pdf")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert visit.branch.name in text and SECRET_SHOPPER not in text
    assert SECRET_SHOPPER in pdf_text(visit_pdf(world.people.manager, visit.id)[1])
    assert visit_pdf(world.people.other_owner, visit.id) is None
    assert visit_pdf(world.people.other_manager, visit.id) is None
    assert visit_pdf(world.people.shopper, visit.id) is None


def test_an_unpublished_visit_has_no_owner_copy(world, make_visit, session):
    visit = make_visit()
    submit(visit, world.people.shopper, failing=("P2.1",))
    visit_pdf = renderer("visit_pdf")
    assert visit_pdf(world.people.owner, visit.id) is None
    assert visit_pdf(world.people.manager, visit.id)[1].startswith(b"%PDF")  # critical fail


def test_the_comparison_pdf_is_the_stored_file_or_the_owners_own_copy(world, make_visit, session):
    _published(world, make_visit)
    other = _published(world, make_visit, branch=world.a.branches[1])
    report = reports.create(
        world.people.manager, "comparison", {"campaign": world.campaign_a.id}, "en"
    )
    report_id = report.id
    session.commit()
    reports.run_report(report_id)
    comparison_pdf = renderer("comparison_pdf")
    name, data, _media = comparison_pdf(world.people.manager, report_id)
    assert data == reports.read_file(session.get(reports.Report, report_id))
    assert other.branch.name in pdf_text(data)  # the manager's file names every branch
    owner_name, owner_data, _ = comparison_pdf(world.people.owner, report_id)
    owner_text = pdf_text(owner_data)
    assert owner_name.startswith(f"comparison-{world.campaign_a.id}-")
    assert world.a.branches[0].name in owner_text
    assert other.branch.name not in owner_text  # another franchisee's branch: never named
    assert SECRET_SHOPPER not in owner_text
    assert comparison_pdf(world.people.other_manager, report_id) is None
    assert comparison_pdf(world.people.shopper, report_id) is None
    assert comparison_pdf(world.people.owner, 10**9) is None
