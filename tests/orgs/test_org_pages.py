"""Branch, region and franchisee pages: filters, pagination, editing, import, access."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import func, select

from audit.models.auditlog import AuditLog
from audit.models.orgs import Branch, Franchisee, Region
from tests.support import login

EN = {"Accept-Language": "en"}


def _codes(page: str, world) -> set[str]:
    return {b.code for b in world.a.branches if f">{b.code}</a>" in page}


@pytest.mark.parametrize(("role", "status"), [
    ("admin", 200), ("manager", 200), ("other_manager", 200), ("owner", 403), ("shopper", 403)])
@pytest.mark.parametrize("path", ["/branches", "/branches/new", "/branches/groups",
                                  "/branches/import", "/branches/template.csv"])
def test_pages_by_role(client, world, role, status, path):
    login(client, getattr(world.people, role))
    assert client.get(path).status_code == status


@pytest.mark.parametrize(("role", "status"), [
    ("admin", 200), ("manager", 200), ("other_manager", 404), ("owner", 403), ("shopper", 403)])
def test_another_brands_branch_is_not_found(client, world, role, status):
    login(client, getattr(world.people, role))
    assert client.get(f"/branches/{world.a.branches[0].id}").status_code == status
    assert client.get(f"/branches?brand={world.a.brand.id}").status_code == status


def test_list_shows_own_brand_only_and_filters(client, world):
    login(client, world.people.manager)
    page = client.get("/branches", headers=EN).get_data(as_text=True)
    assert _codes(page, world) == {"A00", "A01", "A02", "A03"}
    assert "B00" not in page
    north = world.a.regions[0].id
    page = client.get(f"/branches?region={north}").get_data(as_text=True)
    assert _codes(page, world) == {"A00", "A02"}
    page = client.get(f"/branches?franchisee={world.a.franchisee.id}").get_data(as_text=True)
    assert _codes(page, world) == {"A00"}
    page = client.get("/branches?franchisee=-1").get_data(as_text=True)
    assert _codes(page, world) == {"A02", "A03"}
    page = client.get("/branches?q=branch 3").get_data(as_text=True)
    assert _codes(page, world) == {"A03"}
    world.a.branches[1].active = False
    page = client.get("/branches?active=no").get_data(as_text=True)
    assert _codes(page, world) == {"A01"}


def test_pagination(client, world, session):
    session.add_all([Branch(brand=world.a.brand, region=world.a.regions[0], code=f"Z{i:03d}",
                            name=f"Extra {i}") for i in range(60)])
    session.flush()
    login(client, world.people.manager)
    first = client.get("/branches", headers=EN).get_data(as_text=True)
    assert "Page 1 of 2" in first and ">Z045</a>" in first and ">Z046</a>" not in first
    second = client.get("/branches?page=2", headers=EN).get_data(as_text=True)
    assert ">Z046</a>" in second and ">A00</a>" not in second


def _form(world, **changes):
    data = {"code": "A99", "name": "Quận 9", "region": world.a.regions[0].id,
            "franchisee": 0, "address": "9 Lê Lợi", "latitude": "10,5", "longitude": "106.7",
            "timezone": "Asia/Ho_Chi_Minh", "active": "y"}
    return {**data, **changes}


def test_create_and_edit_branch_logged(client, world, session):
    login(client, world.people.manager)
    assert client.post("/branches/new", data=_form(world)).status_code == 302
    branch = session.scalars(select(Branch).where(Branch.code == "A99")).one()
    assert (branch.brand_id, branch.latitude, branch.franchisee_id) == (
        world.a.brand.id, 10.5, None)
    response = client.post(f"/branches/{branch.id}", data=_form(
        world, name="Quận 9 mới", franchisee=world.a.franchisee.id, active=""))
    assert response.status_code == 302
    session.refresh(branch)
    assert (branch.name, branch.active, branch.franchisee_id) == (
        "Quận 9 mới", False, world.a.franchisee.id)
    actions = session.scalars(select(AuditLog.action).where(
        AuditLog.entity == "branch", AuditLog.entity_id == branch.id).order_by(AuditLog.id))
    assert list(actions) == ["create", "update"]


def test_bad_branch_input_keeps_values(client, world, session):
    login(client, world.people.manager)
    response = client.post("/branches/new", data=_form(world, code="A00", latitude="north",
                                                        timezone="Mars"), headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a number" in page and "Unknown time zone" in page
    assert 'value="Quận 9"' in page
    response = client.post("/branches/new", data=_form(world, code="a00"), headers=EN)
    assert response.status_code == 422
    assert "Another branch of this brand has this code." in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Branch).where(
        Branch.code == "A99")) == 0


def test_region_of_another_brand_is_refused(client, world):
    login(client, world.people.manager)
    response = client.post("/branches/new", data=_form(world, region=world.b.regions[0].id))
    assert response.status_code == 422


def test_branch_with_visits_is_kept(client, world, session, make_visit):
    make_visit(branch=world.a.branches[0])
    empty = Branch(brand=world.a.brand, region=world.a.regions[0], code="A50", name="Empty")
    session.add(empty)
    session.flush()
    login(client, world.people.manager)
    response = client.post(f"/branches/{world.a.branches[0].id}/delete", headers=EN)
    assert response.status_code == 302
    assert session.get(Branch, world.a.branches[0].id) is not None
    assert client.post(f"/branches/{empty.id}/delete").status_code == 302
    session.expire_all()
    assert session.get(Branch, empty.id) is None


def test_regions_and_franchisees(client, world, session):
    login(client, world.people.manager)
    assert client.post("/branches/regions/0", data={"name": "Miền Trung"}).status_code == 302
    assert session.scalars(select(Region).where(Region.name == "Miền Trung")).one().brand_id \
        == world.a.brand.id
    response = client.post("/branches/regions/0", data={"name": "a north"}, headers=EN)
    assert response.status_code == 422
    assert "already used" in response.get_data(as_text=True)
    franchisee = world.a.franchisee
    assert client.post(f"/branches/franchisees/{franchisee.id}",
                       data={"name": "Minh Phát"}).status_code == 302
    session.refresh(franchisee)
    assert franchisee.name == "Minh Phát"
    other = world.b.franchisee
    assert client.post(f"/branches/franchisees/{other.id}",
                       data={"name": "x"}).status_code == 404
    assert client.post("/branches/shops/0", data={"name": "x"}).status_code == 404


def _upload(client, content: bytes, lang="en"):
    return client.post("/branches/import", data={"file": (BytesIO(content), "b.csv")},
                       headers={"Accept-Language": lang}, content_type="multipart/form-data")


def test_import_creates_updates_and_counts(client, world, session):
    login(client, world.people.manager)
    content = ("\ufeffcode,name,region,franchisee,active\n"
               "A00,Renamed,a North,,yes\n"
               "N01,New one,Miền Tây,Phú Quý,yes\n"
               "N02,New two,Miền Tây,,no\n").encode()
    response = _upload(client, content)
    assert response.status_code == 302
    page = client.get("/branches", headers=EN).get_data(as_text=True)
    assert ("Import done: 2 branches created, 1 updated, 0 unchanged; 1 new regions, "
            "1 new franchisees.") in page
    session.expire_all()
    new = session.scalars(select(Branch).where(Branch.code == "N01")).one()
    assert (new.region.name, new.franchisee.name, new.brand_id) == (
        "Miền Tây", "Phú Quý", world.a.brand.id)
    assert session.get(Branch, world.a.branches[0].id).name == "Renamed"
    # Existing franchisee A is kept off A00: the file says none.
    assert session.get(Branch, world.a.branches[0].id).franchisee_id is None


def test_import_with_errors_imports_nothing(client, world, session):
    login(client, world.people.manager)
    before = session.scalar(select(func.count()).select_from(Branch))
    content = b"code,name,region,latitude\nN01,Ok,R,10\nN02,,R,200\n"
    response = _upload(client, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Problems found: 2. Nothing was imported." in page
    assert "<td class=\"num\">3</td><td>name</td><td>Required.</td>" in page
    assert "must be between -90 and 90" in page
    assert session.scalar(select(func.count()).select_from(Branch)) == before
    assert session.scalar(select(func.count()).select_from(Franchisee).where(
        Franchisee.name == "R")) == 0


def test_import_errors_in_vietnamese(client, world):
    login(client, world.people.manager)
    page = _upload(client, b"kode,name\n", lang="vi").get_data(as_text=True)
    assert "Unknown column" not in page
    assert "kode" in page


def test_import_needs_a_file(client, world):
    login(client, world.people.manager)
    response = client.post("/branches/import", data={}, headers=EN)
    assert response.status_code == 422
    assert "Choose a CSV file." in response.get_data(as_text=True)


def test_template_download(client, world):
    login(client, world.people.manager)
    response = client.get("/branches/template.csv")
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith("\ufeffcode,name,region,franchisee")


def test_admin_picks_the_brand(client, world, session):
    login(client, world.people.admin)
    page = client.get(f"/branches?brand={world.b.brand.id}").get_data(as_text=True)
    assert ">B00</a>" in page and ">A00</a>" not in page
    response = client.post(f"/branches/new?brand={world.b.brand.id}", data=_form(
        world, code="B77", region=world.b.regions[0].id))
    assert response.status_code == 302
    assert f"brand={world.b.brand.id}" in response.headers["Location"]
    branch = session.scalars(select(Branch).where(Branch.code == "B77")).one()
    assert branch.brand_id == world.b.brand.id
    assert client.get("/branches?brand=999999").status_code == 404


def test_branch_search_ignores_case_and_diacritics(client, world, session):
    world.a.branches[2].name = "Sao Mai Cầu Giấy"
    world.a.branches[3].address = "12 Đường Láng, Hà Nội"
    session.flush()
    login(client, world.people.manager)
    page = client.get("/branches?q=cau giay").get_data(as_text=True)
    assert _codes(page, world) == {"A02"}
    page = client.get("/branches?q=DUONG LANG").get_data(as_text=True)
    assert _codes(page, world) == {"A03"}
    page = client.get("/branches?q=a01").get_data(as_text=True)
    assert _codes(page, world) == {"A01"}
