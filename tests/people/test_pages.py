"""The People pages: list, create, edit, deactivate, password, unlock, as admin and as a
brand's quality manager; refusals in the user's language save nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from audit.core.clock import utcnow
from audit.models.auditlog import AuditLog
from audit.models.auth import User
from tests.support import PASSWORD, login

GOOD = "ba con cá vàng bơi"
VI = {"Accept-Language": "vi"}
EN = {"Accept-Language": "en"}


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(User))


def _log(session, person: User, action: str) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).where(
        AuditLog.entity == "user", AuditLog.entity_id == person.id,
        AuditLog.action == action)))


def _new(client, headers=EN, **fields):
    data = {"email": "lan@example.vn", "name": "Trần Thị Lan", "role": "franchise_owner",
            "brand": "0", "franchisee": "0", "locale": "vi", "password": GOOD,
            "confirm": GOOD}
    data.update(fields)
    return client.post("/people/new", data=data, headers=headers)


# --- list ------------------------------------------------------------------------------


def test_admin_list_searches_filters_and_paginates(client, session, world, make_user):
    for n in range(55):
        make_user("shopper", name=f"Panel {n:02d}", email=f"panel{n:02d}@panel.vn")
    login(client, world.people.admin)
    everyone = client.get("/people", headers=EN).get_data(as_text=True)
    assert "People 1–50 of 62" in everyone  # 7 people of the world and the 55
    first = client.get("/people?role=shopper", headers=EN).get_data(as_text=True)
    assert "People 1–50 of 57" in first and "Page 1 of 2" in first
    second = client.get("/people?role=shopper&page=2", headers=EN).get_data(as_text=True)
    assert "People 51–57 of 57" in second
    found = client.get("/people?q=PANEL0", headers=EN).get_data(as_text=True)
    assert "People 1–10 of 10" in found and "panel09@panel.vn" in found
    by_email = client.get("/people?q=@panel.vn&role=shopper", headers=EN).get_data(
        as_text=True)
    assert "of 55" in by_email
    brand_a = client.get(f"/people?brand={world.a.brand.id}", headers=EN).get_data(
        as_text=True)
    assert "People 1–3 of 3" in brand_a  # its manager and the two owners
    for person in (world.people.manager, world.people.owner, world.people.other_owner):
        assert person.email in brand_a
    assert world.people.other_manager.email not in brand_a


def test_list_shows_role_organisation_and_state(client, session, world):
    owner = world.people.owner
    owner.locked_until = utcnow() + timedelta(minutes=10)
    world.people.other_owner.active = False
    session.flush()
    login(client, world.people.admin)
    page = client.get("/people?status=locked", headers=VI).get_data(as_text=True)
    assert "Người dùng 1–1 trên tổng số 1" in page
    assert owner.email in page and "Bị khóa" in page and "Chủ nhượng quyền" in page
    assert "a Franchise A" in page and "Brand a" in page
    inactive = client.get("/people?status=inactive", headers=EN).get_data(as_text=True)
    assert "People 1–1 of 1" in inactive and world.people.other_owner.email in inactive


def test_manager_lists_only_their_brands_owners(client, world, make_user):
    make_user("franchise_owner", franchisee=world.b.franchisee, email="b.owner@example.vn")
    login(client, world.people.manager)
    page = client.get("/people", headers=EN).get_data(as_text=True)
    assert "People 1–2 of 2" in page
    assert world.people.owner.email in page and world.people.other_owner.email in page
    for hidden in ("b.owner@example.vn", world.people.admin.email, world.people.shopper.email,
                   world.people.other_manager.email):
        assert hidden not in page
    # a forged role filter still stays inside the scope
    assert "Nobody matches" in client.get("/people?role=admin", headers=EN).get_data(
        as_text=True)


@pytest.mark.parametrize("role", ["owner", "shopper"])
def test_owners_and_shoppers_cannot_open_people(client, world, role):
    login(client, getattr(world.people, role))
    assert client.get("/people").status_code == 403
    assert client.get("/people/new").status_code == 403
    assert client.get(f"/people/{world.people.owner.id}").status_code == 403


# --- create ----------------------------------------------------------------------------


def test_admin_creates_a_manager(client, session, world):
    login(client, world.people.admin)
    response = _new(client, email=" Minh.QL@Example.VN ", name="Lê Minh",
                    role="quality_manager", brand=str(world.a.brand.id), locale="en")
    assert response.status_code == 302
    person = session.scalars(select(User).where(User.email == "minh.ql@example.vn")).one()
    assert (person.name, person.role, person.brand_id, person.franchisee_id, person.locale,
            person.active) == ("Lê Minh", "quality_manager", world.a.brand.id, None, "en", True)
    assert person.check_password(GOOD)
    [entry] = _log(session, person, "create")
    assert entry.actor_id == world.people.admin.id
    assert entry.new_value["email"] == "minh.ql@example.vn"
    assert "password" not in str(entry.new_value).lower()


def test_owner_gets_only_the_franchisee(client, session, world):
    login(client, world.people.admin)
    assert _new(client, franchisee=str(world.a.franchisee.id),
                brand=str(world.b.brand.id)).status_code == 302
    person = session.scalars(select(User).where(User.email == "lan@example.vn")).one()
    assert (person.brand_id, person.franchisee_id) == (None, world.a.franchisee.id)


@pytest.mark.parametrize(("fields", "message"), [
    ({"email": " FRANCHISE_Owner4@EXAMPLE.test"}, "Đã có tài khoản khác dùng địa chỉ e-mail này."),
    ({"role": "quality_manager"}, "Quản lý chất lượng phải thuộc một thương hiệu"),
    ({"franchisee": "0"}, "Chủ nhượng quyền phải thuộc một đơn vị nhượng quyền"),
    ({"password": "123456789012", "confirm": "123456789012"}, "Mật khẩu này quá dễ đoán"),
    ({"password": "ngắn", "confirm": "ngắn"}, "Mật khẩu cần ít nhất 12 ký tự"),
    ({"confirm": "something else entirely"}, "Hai lần nhập mật khẩu không khớp nhau."),
    ({"email": "not an address"}, "Hãy nhập một địa chỉ e-mail"),
    ({"name": ""}, "Hãy nhập họ tên của người dùng."),
])
def test_refusals_in_vietnamese_save_nothing(client, session, world, fields, message):
    assert world.people.owner.email == "franchise_owner4@example.test"
    login(client, world.people.admin)
    before = _count(session)
    response = _new(client, headers=VI, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(session) == before
    assert not session.scalars(select(AuditLog).where(AuditLog.action == "create")).all()


def test_every_refusal_shows_at_once(client, session, world):
    login(client, world.people.admin)
    before = _count(session)
    response = _new(client, headers=VI, email=world.people.manager.email.upper(),
                    role="quality_manager", password="123456789012", confirm="123456789012")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("Đã có tài khoản khác dùng địa chỉ e-mail này.",
                    "Quản lý chất lượng phải thuộc một thương hiệu: hãy chọn thương hiệu.",
                    "Mật khẩu này quá dễ đoán"):
        assert html.count(message) == 1, message
    assert _count(session) == before


def test_manager_creates_an_owner_of_their_brand(client, session, world):
    login(client, world.people.manager)
    form = client.get("/people/new", headers=EN).get_data(as_text=True)
    assert "a Franchise A" in form and "b Franchise A" not in form
    assert 'name="brand"' not in form
    assert _new(client, franchisee=str(world.a.other_franchisee.id)).status_code == 302
    person = session.scalars(select(User).where(User.email == "lan@example.vn")).one()
    assert (person.role, person.franchisee_id) == ("franchise_owner",
                                                   world.a.other_franchisee.id)


@pytest.mark.parametrize("forged", [
    {"role": "admin"}, {"role": "shopper"},
    {"role": "quality_manager", "brand": "A"},  # replaced by brand A's id below
    {"franchisee": "B"},  # another brand's franchisee
])
def test_manager_cannot_forge_role_or_organisation(client, session, world, forged):
    forged = {k: (str(world.a.brand.id) if v == "A" else str(world.b.franchisee.id)
                  if v == "B" else v) for k, v in forged.items()}
    forged.setdefault("franchisee", str(world.a.franchisee.id))
    login(client, world.people.manager)
    before = _count(session)
    assert _new(client, **forged).status_code == 422
    assert _count(session) == before


# --- edit, deactivate ------------------------------------------------------------------


def test_admin_edits_and_deactivates_then_reactivates(client, session, world, token_for):
    owner = world.people.owner
    bearer = token_for(owner)
    api = client.application.test_client()
    assert api.get("/api/v1/me", headers=bearer).status_code == 200
    login(client, world.people.admin)
    response = client.post(f"/people/{owner.id}", data={
        "email": owner.email, "name": "Chủ Mới", "locale": "en",
        "franchisee": str(world.b.franchisee.id)})
    assert response.status_code == 302
    session.refresh(owner)
    assert (owner.name, owner.locale, owner.franchisee_id, owner.active) == (
        "Chủ Mới", "en", world.b.franchisee.id, False)
    assert api.get("/api/v1/me", headers=bearer).status_code == 401
    assert login(api, owner).status_code == 401
    [deactivated] = _log(session, owner, "deactivated")
    assert (deactivated.actor_id, deactivated.reason) == (world.people.admin.id,
                                                          "1 API tokens revoked")
    [update] = _log(session, owner, "update")
    assert (update.old_value["active"], update.new_value["active"]) == (True, False)
    client.post(f"/people/{owner.id}", data={"email": owner.email, "name": "Chủ Mới",
                                             "locale": "en",
                                             "franchisee": str(world.b.franchisee.id),
                                             "active": "y"})
    session.refresh(owner)
    assert owner.active is True and len(_log(session, owner, "reactivated")) == 1
    assert login(api, owner).status_code == 302
    page = client.get(f"/people/{owner.id}", headers=VI).get_data(as_text=True)
    assert "Ngừng kích hoạt, thu hồi mã truy cập API" in page and "Kích hoạt lại" in page


def test_admin_cannot_deactivate_themselves(client, session, world):
    admin = world.people.admin
    login(client, admin)
    page = client.get(f"/people/{admin.id}", headers=EN).get_data(as_text=True)
    assert 'name="active"' not in page
    assert "You cannot deactivate your own account" in page
    response = client.post(f"/people/{admin.id}", data={"email": admin.email, "name": "Admin",
                                                        "locale": "vi"})
    assert response.status_code == 302  # the name changes; the missing box is ignored
    session.refresh(admin)
    assert (admin.name, admin.active) == ("Admin", True)


def test_manager_edits_an_owner_inside_the_brand_only(client, session, world):
    owner = world.people.owner
    login(client, world.people.manager)
    moved = client.post(f"/people/{owner.id}", data={
        "email": owner.email, "name": owner.name, "locale": "vi",
        "franchisee": str(world.a.other_franchisee.id),
        "active": "y"})
    assert moved.status_code == 302
    session.refresh(owner)
    assert owner.franchisee_id == world.a.other_franchisee.id
    forged = client.post(f"/people/{owner.id}", data={
        "email": owner.email, "name": owner.name, "locale": "vi",
        "franchisee": str(world.b.franchisee.id),
        "active": "y"})
    assert forged.status_code == 422
    session.refresh(owner)
    assert owner.franchisee_id == world.a.other_franchisee.id


def test_edit_refuses_an_owner_without_franchisee(client, session, world):
    owner = world.people.owner
    login(client, world.people.admin)
    response = client.post(f"/people/{owner.id}", headers=VI, data={
        "email": owner.email, "name": "X", "locale": "vi", "franchisee": "0", "active": "y"})
    assert response.status_code == 422
    assert "Chủ nhượng quyền phải thuộc một đơn vị nhượng quyền" in response.get_data(
        as_text=True)
    session.refresh(owner)
    assert (owner.name, owner.franchisee_id) != ("X", None)
    assert owner.franchisee_id == world.a.franchisee.id


@pytest.mark.parametrize("target", ["b_owner", "admin", "other_manager", "shopper"])
def test_forged_ids_answer_404_to_a_manager_and_change_nothing(client, session, world,
                                                               make_user, target):
    world.people.b_owner = make_user("franchise_owner", franchisee=world.b.franchisee)
    person = getattr(world.people, target)
    name, hash_ = person.name, person.password_hash
    person.locked_until = utcnow() + timedelta(minutes=5)
    session.flush()
    login(client, world.people.manager)
    assert client.get(f"/people/{person.id}").status_code == 404
    assert client.post(f"/people/{person.id}", data={
        "name": "Hacked", "locale": "vi", "active": ""}).status_code == 404
    assert client.post(f"/people/{person.id}/password", data={
        "pw-password": GOOD, "pw-confirm": GOOD}).status_code == 404
    assert client.post(f"/people/{person.id}/unlock").status_code == 404
    session.refresh(person)
    assert (person.name, person.password_hash, person.active) == (name, hash_, True)
    assert person.locked_until is not None


# --- password and lockout --------------------------------------------------------------


def test_set_password_is_policy_checked_and_revokes_tokens(client, session, world,
                                                           token_for):
    owner = world.people.owner
    owner.locked_until = utcnow() + timedelta(minutes=10)
    session.flush()
    bearer = token_for(owner)
    login(client, world.people.manager)
    weak = client.post(f"/people/{owner.id}/password", headers=VI, data={
        "pw-password": owner.email, "pw-confirm": owner.email})
    assert weak.status_code == 422
    assert "Mật khẩu không được trùng với địa chỉ e-mail" in weak.get_data(as_text=True)
    session.refresh(owner)
    assert owner.check_password(PASSWORD)
    done = client.post(f"/people/{owner.id}/password", data={
        "pw-password": GOOD, "pw-confirm": GOOD})
    assert done.status_code == 302
    session.refresh(owner)
    assert owner.check_password(GOOD) and owner.locked_until is None
    api = client.application.test_client()
    assert api.get("/api/v1/me", headers=bearer).status_code == 401
    [entry] = _log(session, owner, "password_changed")
    assert entry.actor_id == world.people.manager.id
    assert [e.actor_id for e in _log(session, owner, "unlocked")] == [world.people.manager.id]


def test_unlock_lifts_the_lockout(client, session, world):
    owner = world.people.owner
    owner.locked_until, owner.failed_logins = utcnow() + timedelta(minutes=10), 0
    session.flush()
    login(client, world.people.manager)
    page = client.get(f"/people/{owner.id}", headers=VI).get_data(as_text=True)
    assert "Bị khóa do đăng nhập sai nhiều lần, đến" in page and "Mở khóa ngay" in page
    response = client.post(f"/people/{owner.id}/unlock", headers=EN, follow_redirects=True)
    assert f"{owner.email} can log in again." in response.get_data(as_text=True)
    session.refresh(owner)
    assert owner.locked_until is None
    [entry] = _log(session, owner, "unlocked")
    assert entry.actor_id == world.people.manager.id
    assert login(client.application.test_client(), owner).status_code == 302


def test_an_erased_person_is_read_only(client, session, world):
    owner = world.people.owner
    owner.erased_at = utcnow()
    session.flush()
    login(client, world.people.admin)
    page = client.get(f"/people/{owner.id}", headers=EN).get_data(as_text=True)
    assert "This account was erased" in page and 'name="name"' not in page
    assert client.post(f"/people/{owner.id}", data={"name": "X", "locale": "vi"}
                       ).status_code == 403
    assert client.post(f"/people/{owner.id}/password", data={
        "pw-password": GOOD, "pw-confirm": GOOD}).status_code == 403


def test_cli_refuses_a_duplicate_address_in_any_case(app, world):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", world.people.owner.email.upper(), "--name", "X", "--role",
        "shopper", "--password", GOOD])
    assert result.exit_code == 1
    assert "Another account already uses this e-mail address." in result.output


def test_nav_shows_people_to_managers_and_admins(client, world):
    for role, shown in (("admin", True), ("manager", True), ("owner", False),
                        ("shopper", False)):
        login(client, getattr(world.people, role))
        home = client.get("/", headers=EN).get_data(as_text=True)
        assert ('href="/people"' in home) is shown, role
        client.post("/logout")


def test_set_password_ends_the_persons_sessions(client, session, world):
    """A password set by a manager logs the owner out of the browser they were using."""
    owner = world.people.owner
    owners_browser = client.application.test_client()
    login(owners_browser, owner)
    assert owners_browser.get("/", headers=EN).status_code == 200
    login(client, world.people.manager)
    done = client.post(f"/people/{owner.id}/password", headers=EN,
                       data={"pw-password": GOOD, "pw-confirm": GOOD})
    assert done.status_code == 302
    assert "logged out everywhere" in client.get(done.location, headers=EN).get_data(
        as_text=True)
    gone = owners_browser.get("/", headers=EN)
    assert gone.status_code == 302 and "/login" in gone.location
    assert client.get("/people", headers=EN).status_code == 200  # the manager goes on


def test_admin_setting_own_password_stays_logged_in(client, session, world):
    admin = world.people.admin
    other_browser = client.application.test_client()
    login(other_browser, admin)
    login(client, admin)
    done = client.post(f"/people/{admin.id}/password", headers=EN,
                       data={"pw-password": GOOD, "pw-confirm": GOOD})
    assert done.status_code == 302
    assert client.get("/people", headers=EN).status_code == 200
    gone = other_browser.get("/people", headers=EN)
    assert gone.status_code == 302 and "/login" in gone.location


def test_last_log_in_is_kept_and_shown(client, session, world):
    """Each successful log-in (page or token request) is kept; a failed one is not."""
    owner = world.people.owner
    assert owner.last_login_at is None
    assert client.post("/login", data={"email": owner.email, "password": "wrong"},
                       headers=EN).status_code == 401
    session.refresh(owner)
    assert owner.last_login_at is None and owner.failed_logins == 1
    before = utcnow()
    login(client, owner)
    session.refresh(owner)
    first = owner.last_login_at
    assert first is not None and first >= before.replace(tzinfo=first.tzinfo)
    assert owner.failed_logins == 0
    api = client.application.test_client()
    assert api.post("/api/v1/auth/token", json={"email": owner.email,
                                                "password": PASSWORD}).status_code == 201
    session.refresh(owner)
    assert owner.last_login_at >= first
    client.post("/logout")
    login(client, world.people.admin)
    listing = client.get(f"/people?q={owner.email}", headers=EN).get_data(as_text=True)
    assert "Last log-in" in listing and "never" not in listing
    page = client.get(f"/people/{owner.id}", headers=VI).get_data(as_text=True)
    assert "Đăng nhập lần cuối:" in page
    nobody = client.get(f"/people/{world.people.other_owner.id}", headers=EN)
    assert "Never logged in." in nobody.get_data(as_text=True)


def test_admin_changes_an_e_mail_and_the_person_logs_in_with_it(client, session, world):
    owner = world.people.owner
    owners_browser = client.application.test_client()
    login(owners_browser, owner)
    login(client, world.people.admin)
    base = {"name": owner.name, "locale": "vi", "franchisee": str(world.a.franchisee.id),
            "active": "y"}
    taken = client.post(f"/people/{owner.id}", headers=VI,
                        data={**base, "email": world.people.manager.email.upper()})
    assert taken.status_code == 422
    assert "Đã có tài khoản khác dùng địa chỉ e-mail này." in taken.get_data(as_text=True)
    slip = client.post(f"/people/{owner.id}", headers=EN, data={**base, "email": "lan@"})
    assert slip.status_code == 422
    session.refresh(owner)
    old_email = owner.email
    assert old_email != "lan@"
    done = client.post(f"/people/{owner.id}", data={**base, "email": " Lan.Moi@Example.VN "})
    assert done.status_code == 302
    session.refresh(owner)
    assert owner.email == "lan.moi@example.vn"
    [entry] = _log(session, owner, "update")
    assert (entry.old_value["email"], entry.new_value["email"]) == (old_email,
                                                                    "lan.moi@example.vn")
    assert owners_browser.get("/", headers=EN).status_code == 200  # not a credential
    fresh = client.application.test_client()
    assert fresh.post("/login", data={"email": old_email, "password": PASSWORD}
                      ).status_code == 401
    assert fresh.post("/login", data={"email": "lan.moi@example.vn", "password": PASSWORD}
                      ).status_code == 302


@pytest.mark.parametrize("typed", ["nguyen bi", "NGUYỄN BÍ", "Nguyễn Bí Mật", "bi mat"])
def test_search_ignores_case_and_diacritics_on_both_engines(client, world, typed):
    """SQLite's lower() knows only ASCII: the folded search text finds "Nguyễn Bí Mật"
    typed without accents or in capitals."""
    login(client, world.people.admin)
    page = client.get("/people", query_string={"q": typed}, headers=EN).get_data(as_text=True)
    assert "People 1–1 of 1" in page and world.people.shopper.email in page


def test_search_treats_wildcards_as_text(client, world):
    login(client, world.people.admin)
    page = client.get("/people?q=%25", headers=EN).get_data(as_text=True)
    assert "Nobody matches these filters." in page
