"""WTForms' own messages ("This field is required.", "Not a valid integer value.") reach a
Vietnamese user in Vietnamese, on pages and in every form class (forms/base.py)."""

from __future__ import annotations

import inspect

import pytest
from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms import Form

import forms
from forms.actions import CommentForm
from forms.base import AuditForm, AuditSubForm
from forms.review import ReturnForm
from tests.campaigns.test_campaign_pages import _form
from tests.support import login


def _errors(app, form_class, data, lang):
    with app.test_request_context("/", method="POST", data=data), force_locale(lang):
        form = form_class(meta={"csrf": False})
        assert not form.validate()
        return form.errors


def test_required_in_vietnamese_and_english(app):
    assert _errors(app, CommentForm, {}, "vi") == {"text": ["Trường này là bắt buộc."]}
    assert _errors(app, CommentForm, {}, "en") == {"text": ["This field is required."]}


def test_plural_length_message_keeps_its_number(app):
    long = {"comment": "x" * 2001, "version": "1"}
    assert _errors(app, ReturnForm, long, "vi")["comment"] == [
        "Trường không được dài quá 2000 ký tự."]
    assert _errors(app, ReturnForm, long, "en")["comment"] == [
        "Field cannot be longer than 2000 characters."]


def test_campaign_page_shows_vietnamese_field_errors(client, world):
    login(client, world.people.manager)
    data = _form(world, visits_per_branch="nhiều", starts_on="31/02/2026")
    response = client.post("/campaigns/new", data=data, headers={"Accept-Language": "vi"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Không phải số nguyên hợp lệ." in html
    assert "Ngày không hợp lệ." in html
    assert "Not a valid" not in html
    assert "Đợt mới" in html  # the form kept what was typed


def test_every_form_class_takes_the_app_translations():
    """A form added later on FlaskForm or wtforms.Form directly would show English errors."""
    offenders = []
    for module_name in ("actions", "auth", "campaigns", "checklists", "disputes", "orgs",
                        "people", "portal", "review", "settings", "targets"):
        module = __import__(f"forms.{module_name}", fromlist=["*"])
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, Form)
                    and value.__module__ == module.__name__
                    and not issubclass(value, (AuditForm, AuditSubForm))):
                offenders.append(f"{module_name}.{name}")
    assert offenders == []
    assert issubclass(AuditForm, FlaskForm)
    assert forms.__name__ == "forms"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_message_is_left_to_wtforms_catalogs(app, lang):
    """The app's catalog answers for WTForms: a message it lacks would come back as is."""
    with app.test_request_context("/"), force_locale(lang):
        from forms.base import TRANSLATIONS
        text = TRANSLATIONS.gettext("Not a valid choice.")
    assert text == {"vi": "Lựa chọn không hợp lệ.", "en": "Not a valid choice."}[lang]
