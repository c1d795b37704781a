"""Bilingual content helpers: checklist and campaign texts are stored as {"vi": ..., "en": ...}."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import get_locale

LANGUAGES = ("vi", "en")


def localized(text: Mapping[str, str] | None, locale: str | None) -> str:
    """Pick the text in `locale`, falling back to the other language rather than nothing."""
    if not text:
        return ""
    if locale and text.get(locale):
        return text[locale]
    for lang in LANGUAGES:
        if text.get(lang):
            return text[lang]
    return ""


def tr(text: Mapping[str, str] | None) -> str:
    """The text in the current request's language (pages and forms)."""
    return localized(text, str(get_locale()))
