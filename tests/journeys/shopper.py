"""What a shopper does with the visit form, in the browser."""

from __future__ import annotations

import io
from datetime import datetime

from PIL import Image


def fill_visible_questions(page, choose: dict[str, str] | None = None,
                           na: set[str] | frozenset = frozenset()) -> int:
    """Answer every visible question in order (answers may reveal more): the choice named in
    `choose` (a radio's value), else the first; N/A for codes in `na`; numbers and texts
    typed. Returns how many were answered."""
    choose = choose or {}
    answered, i = 0, 0
    while True:
        fieldsets = page.locator("fieldset.question:not([hidden])")
        if i >= fieldsets.count():
            return answered
        fs = fieldsets.nth(i)
        i += 1
        code, kind = fs.get_attribute("data-code"), fs.get_attribute("data-kind")
        if code in na:
            fs.locator("input[name^='na-']").check()
        elif kind in ("yes_no", "scale", "choice"):
            if code in choose:
                fs.locator(f"input[type=radio][value='{choose[code]}']").check()
            else:
                fs.locator("label.choice:not(.na) input").first.check()
        elif kind == "number":
            if fs.locator("button.timer").count() and code not in choose:
                timer = fs.locator("button.timer")
                timer.click()
                page.wait_for_timeout(1100)
                timer.click()
            else:
                box = fs.locator("input[name^='q-']")
                box.fill(choose.get(code, "2"))
                box.dispatch_event("change")
        elif kind == "text":
            fs.locator("textarea").fill(choose.get(code, "Nhân viên thân thiện"))
            fs.locator("textarea").dispatch_event("change")
        else:
            continue
        answered += 1


def type_date_by_hand(page, selector: str, day: int, month: int, year: int | str,
                      lang: str) -> None:
    """Type a date into a date input key by key, as a person does (the browser, not the
    page, turns the keys into a value: a year typed too long stays too long)."""
    field = page.locator(selector)
    # The segments follow the browser's own date format, not the page's language: find
    # which comes first by typing a probe date whose day and month differ.
    field.focus()
    page.keyboard.type("11122000")
    day_first = field.input_value() == "2000-12-11"
    field.evaluate("e => { e.value = ''; e.blur(); }")
    field.focus()
    first, second = (f"{day:02d}", f"{month:02d}") if day_first else (f"{month:02d}", f"{day:02d}")
    for part in (first, second, str(year)):
        page.keyboard.type(part)
    page.keyboard.press("Tab")


def photo(when: datetime | None = None, size=(3000, 2000)) -> bytes:
    """A phone-sized JPEG, with the camera's capture time in its EXIF when given."""
    image = Image.effect_noise(size, 30).convert("RGB")
    out = io.BytesIO()
    exif = Image.Exif()
    if when is not None:
        exif.get_ifd(0x8769)[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")
    image.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()
