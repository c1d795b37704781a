"""The password policy: the pure rules, the model, the change-password page and the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.core.passwords import (
    IS_EMAIL,
    TOO_COMMON,
    TOO_LONG,
    TOO_SHORT,
    WeakPasswordError,
    password_problems,
)
from audit.demo import data
from audit.models.auditlog import AuditLog
from audit.models.auth import User
from tests.support import PASSWORD

EMAIL = "lan.nguyen@saomai.demo"


@pytest.mark.parametrize(("password", "problems"), [
    ("demo-Audit-2026", []),  # the demo password (15 characters)
    ("correct horse battery", []),
    ("cà phê sữa đá lúc bảy giờ", []),
    ("Tr4ng-Sen-Ho-Tay", []),
    ("short-Pw-1", [TOO_SHORT]),  # 10 characters
    ("x" * 11, [TOO_SHORT]),
    ("a9$Kd03!mZ2q" + "x" * 117, [TOO_LONG]),  # 129 characters
    (EMAIL, [IS_EMAIL]),
    ("LAN.NGUYEN@SAOMAI.DEMO", [IS_EMAIL]),
    ("lan.nguyen", [TOO_SHORT]),
    ("passwordpassword", [TOO_COMMON]),
    ("123456789012", [TOO_COMMON]),
    ("qwertyuiopasdf", [TOO_COMMON]),
    ("1qaz2wsx3edc", [TOO_COMMON]),
    ("aaaaaaaaaaaa", [TOO_COMMON]),
    ("P@ssw0rd12345", [TOO_COMMON]),
    ("lan.nguyen2026", [TOO_COMMON]),  # the e-mail's name and a year
])
def test_policy(password, problems):
    assert password_problems(password, EMAIL) == problems


def test_demo_password_passes_for_every_demo_account():
    emails = [data.ADMIN[0], data.MANAGER[0], *(e for e, _ in data.OWNERS),
              *(e for e, _ in data.SHOPPERS)]
    assert {e: password_problems(data.PASSWORD, e) for e in emails} == {e: [] for e in emails}


def test_set_password_refuses_a_weak_one():
    user = User(email=EMAIL, name="Lan", role="shopper")
    with pytest.raises(WeakPasswordError) as caught:
        user.set_password("123456789012")
    assert caught.value.problems == [TOO_COMMON]
    user.set_password("demo-Audit-2026")
    assert user.check_password("demo-Audit-2026")


def _login(client, user):
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code \
        == 302


def _change(client, current=PASSWORD, new="ba con cá vàng bơi", confirm=None, lang="en"):
    return client.post("/account/password", headers={"Accept-Language": lang}, data={
        "current_password": current, "new_password": new,
        "confirm": new if confirm is None else confirm})


def test_change_password_page_needs_log_in(client, session):
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_change_password_page_and_link(client, world):
    _login(client, world.people.shopper)
    home = client.get("/", follow_redirects=True, headers={"Accept-Language": "vi"})
    assert 'href="/account/password"' in home.get_data(as_text=True)
    page = client.get("/account/password", headers={"Accept-Language": "vi"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Đổi mật khẩu" in html and 'autocomplete="new-password"' in html


def test_change_password(client, world, session, token_for):
    shopper = world.people.shopper
    bearer = token_for(shopper)  # issued before the change: revoked by it
    others = token_for(world.people.manager)
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    _login(client, shopper)
    response = _change(client)
    assert response.status_code == 302
    session.refresh(shopper)
    assert shopper.check_password("ba con cá vàng bơi")
    assert not shopper.check_password(PASSWORD)
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "password_changed")).one()
    assert (entry.actor_id, entry.entity_id, entry.old_value, entry.new_value) == (
        shopper.id, shopper.id, None, None)
    assert "Your password is changed." in client.get(
        "/", follow_redirects=True, headers={"Accept-Language": "en"}).get_data(as_text=True)
    api = client.application.test_client()  # no session cookie: the token alone
    assert api.get("/api/v1/me", headers=bearer).status_code == 401
    assert api.get("/api/v1/me", headers=others).status_code == 200  # only theirs


@pytest.mark.parametrize(("kwargs", "lang", "message"), [
    ({"new": "short-Pw-1"}, "en",
     "Use at least 12 characters; a phrase of a few words is easy to remember."),
    ({"new": "short-Pw-1"}, "vi",
     "Mật khẩu cần ít nhất 12 ký tự; một cụm vài từ sẽ dễ nhớ hơn."),
    ({"new": "passwordpassword"}, "en",
     "This password is too easy to guess (a common password, a name, a keyboard pattern or a "
     "repeat). Add a few unrelated words."),
    ({"new": "passwordpassword"}, "vi",
     "Mật khẩu này quá dễ đoán (mật khẩu phổ biến, tên người, chuỗi phím liền nhau hoặc lặp "
     "lại). Hãy thêm vài từ không liên quan đến nhau."),
    ({"confirm": "something else entirely"}, "en", "The two new passwords differ."),
    ({"current": "not my password"}, "en",
     "The current password is not right. After 5 failed attempts in a row the account is "
     "locked for a while."),
    ({"current": "not my password"}, "vi",
     "Mật khẩu hiện tại không đúng. Sau 5 lần nhập sai liên tiếp, tài khoản sẽ bị khóa trong "
     "một thời gian."),
])
def test_change_password_refusals(client, world, session, kwargs, lang, message):
    shopper = world.people.shopper
    _login(client, shopper)
    response = _change(client, lang=lang, **kwargs)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    session.refresh(shopper)
    assert shopper.check_password(PASSWORD)  # unchanged


def test_own_email_refused_on_the_page(client, world, session):
    shopper = world.people.shopper
    _login(client, shopper)
    response = _change(client, new=shopper.email)
    assert response.status_code == 400
    assert "The password must not be your e-mail address." in response.get_data(as_text=True)


def test_wrong_current_password_counts_towards_lockout(client, world, session):
    shopper = world.people.shopper
    _login(client, shopper)
    for _ in range(5):
        _change(client, current="not my password")
    session.refresh(shopper)
    assert shopper.locked_until is not None
    assert _change(client).status_code == 400  # locked: even the right one is refused
    session.refresh(shopper)
    assert shopper.check_password(PASSWORD)


def test_cli_create_and_set_password(app, session, world):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "create", "new.shopper@example.test", "--name", "Mai",
                               "--role", "shopper", "--password", "123456789012"])
    assert weak.exit_code == 1
    assert "This password is too easy to guess" in weak.output
    assert session.scalars(select(User).where(User.email == "new.shopper@example.test")).first() \
        is None
    vi = runner.invoke(args=["users", "create", "new.shopper@example.test", "--name", "Mai",
                             "--role", "shopper", "--password", "ngắn", "--lang", "vi"])
    assert vi.exit_code == 1 and "Mật khẩu cần ít nhất 12 ký tự" in vi.output
    ok = runner.invoke(args=["users", "create", "New.Manager@example.test", "--name", "Minh",
                             "--role", "quality_manager", "--brand", "a",
                             "--password", "demo-Audit-2026"])
    assert ok.exit_code == 0, ok.output
    manager = session.scalars(select(User).where(User.email == "new.manager@example.test")).one()
    assert (manager.role, manager.brand_id) == ("quality_manager", world.a.brand.id)
    assert manager.check_password("demo-Audit-2026")
    own = runner.invoke(args=["users", "set-password", manager.email,
                              "--password", "new.manager@example.test"])
    assert own.exit_code == 1 and "must not be your e-mail address" in own.output
    changed = runner.invoke(args=["users", "set-password", manager.email,
                                  "--password", "ba con cá vàng bơi"])
    assert changed.exit_code == 0, changed.output
    session.refresh(manager)
    assert manager.check_password("ba con cá vàng bơi")


def test_cli_create_needs_the_organisation_of_the_role(app, session, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "o@example.test", "--name", "O",
                                 "--role", "franchise_owner", "--password", "demo-Audit-2026"])
    assert result.exit_code == 2 and "A franchise owner needs --franchisee." in result.output
    owner = runner.invoke(args=["users", "create", "o@example.test", "--name", "O",
                                "--role", "franchise_owner", "--brand", "a",
                                "--franchisee", "a Franchise A", "--password", "demo-Audit-2026"])
    assert owner.exit_code == 0, owner.output
    user = session.scalars(select(User).where(User.email == "o@example.test")).one()
    assert user.franchisee_id == world.a.franchisee.id
