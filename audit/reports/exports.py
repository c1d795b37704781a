"""CSV and XLSX exports of a campaign's visits, answers and scores in the user's scope:
one row per visit and one row per answer. An owner gets the published visits of their
branches and no shopper column. Text that a spreadsheet would run as a formula is escaped."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from audit import access
from audit.checklists.labels import KPI
from audit.i18n import localized
from audit.labels import CHANNEL, DIMENSION, STATUS, STEP
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.visits import Visit
from audit.visits import read_model
from audit.visits.visit_view import AnswerView, VisitView
from audit.vocabulary import DIMENSIONS, KPIS, STEPS

# What an export reads of each visit (the read model's table still decides per role).
EXPORTED = read_model.SUMMARY | {"sections", "answers"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SCORE_FORMAT = "0.0"


def safe(value: Any) -> Any:
    """Text starting like a formula gets a leading apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[list[Any]]
    score_columns: range  # zero-based columns formatted as scores in XLSX


@dataclass
class Export:
    campaign: Campaign
    visits: Sheet
    answers: Sheet


def _answer_value(answer: AnswerView, lang: str) -> Any:
    """The answer as a reader says it: a choice's label in `lang`, never its code."""
    value = answer.value
    if answer.kind == "choice":
        for option in answer.question.options or []:
            if option.get("value") == value:
                return localized(option.get("label"), lang)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def build(user: User, campaign_id: int, lang: str) -> Export:
    """The two sheets, headers and text in `lang` (OutOfScope for a campaign out of scope)."""
    campaign = access.get_in_scope(access.campaigns_query(user), Campaign, campaign_id)
    visits = read_model.views_query(
        user, access.export_visits_query(user, campaign.id).order_by(Visit.id), EXPORTED)
    visits.sort(key=lambda v: (v.branch.code, v.id))
    with_shopper = read_model.sees(user, "shopper")
    with force_locale(lang):
        return Export(campaign, _visit_sheet(visits, campaign, lang, with_shopper),
                      _answer_sheet(visits, lang))


def _visit_sheet(visits: list[VisitView], campaign: Campaign, lang: str,
                 with_shopper: bool) -> Sheet:
    header = [_("Visit"), _("Branch code"), _("Branch"), _("Campaign"), _("Channel"),
              _("Date"), _("Status")]
    if with_shopper:
        header.append(_("Shopper"))
    first_score = len(header)
    header += [_("Overall"), _("SERVQUAL index"), *(str(DIMENSION[d]) for d in DIMENSIONS),
               *(f"{s}. {STEP[str(s)]}" for s in STEPS)]
    last_score = len(header)
    header += [_("Critical fail"), *(str(KPI[k]) for k in KPIS)]  # never "WAIT_SECONDS"
    name = localized(campaign.name, lang)
    rows = []
    for v in visits:
        day = v.visited_on
        row: list[Any] = [v.id, safe(v.branch.code), safe(v.branch.name), safe(name),
                          str(CHANNEL[v.channel]), day, str(STATUS[v.status])]
        if with_shopper:
            row.append(safe(v.shopper.name) if v.shopper else "")
        kpis, columns = v.score_record.kpis, v.score_columns
        row += [columns.get("overall"), columns.get("servqual_index"),
                *(columns.get(d) for d in DIMENSIONS),
                *(columns.get(f"step_{s}") for s in STEPS),
                _("Yes") if v.critical_fail else _("No"),
                *(_kpi(getattr(kpis, k)) for k in KPIS)]
        rows.append(row)
    return Sheet(_("Visits"), header, rows, range(first_score, last_score))


def _kpi(value: Any) -> Any:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return safe(value)


def _answer_sheet(visits: list[VisitView], lang: str) -> Sheet:
    header = [_("Visit"), _("Question code"), _("Question"), _("Answer"), _("N/A"),
              _("Comment"), _("Earned"), _("Possible")]
    rows = []
    for v in visits:
        counted = v.score_record.by_code
        for q in v.questions:  # the checklist's order, as on the pages
            a = v.answers.get(q.code)
            if a is None or q.code in v.staff_hidden:  # staff a brand does not record
                continue
            score = counted.get(a.code)
            rows.append([v.id, safe(a.code), safe(localized(a.text, lang)),
                         safe(_answer_value(a, lang)), _("Yes") if a.na else _("No"),
                         safe(a.comment), score and score.earned, score and score.possible])
    return Sheet(_("Answers"), header, rows, range(6, 8))


def to_xlsx(export: Export) -> bytes:
    """Two sheets, bold frozen header row, scores with one decimal, dates as dates."""
    book = Workbook()
    book.remove(book.active)
    for sheet in (export.visits, export.answers):
        ws = book.create_sheet(sheet.name)
        ws.append(sheet.header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for row in sheet.rows:
            ws.append(row)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.column - 1 in sheet.score_columns and cell.value is not None:
                    cell.number_format = SCORE_FORMAT
                elif isinstance(cell.value, (date, datetime)):
                    cell.number_format = "yyyy-mm-dd"
        for index, title in enumerate(sheet.header, start=1):
            ws.column_dimensions[ws.cell(1, index).column_letter].width = max(10, len(title) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese correctly."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(sheet.header)
    writer.writerows([["" if c is None else c for c in row] for row in sheet.rows])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def to_zip(export: Export) -> bytes:
    """visits.csv and answers.csv in one zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("visits.csv", to_csv(export.visits))
        archive.writestr("answers.csv", to_csv(export.answers))
    return out.getvalue()


def response(user: User, campaign_id: int, fmt: str, lang: str) -> Response:
    """The export as a download: XLSX, or the two CSV files zipped."""
    export = build(user, campaign_id, lang)
    if fmt == "xlsx":
        data = to_xlsx(export)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = f"campaign-{campaign_id}-{lang}.xlsx"
    else:
        data, media = to_zip(export), "application/zip"
        filename = f"campaign-{campaign_id}-{lang}-csv.zip"
    result = Response(data, mimetype=media)
    result.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    result.headers["Cache-Control"] = "private, no-store"
    return result
