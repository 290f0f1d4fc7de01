"""Fill content controls of a Word document, found by tag, as a person would in Writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from office import JobError


def _controls_in(text: Any) -> Iterator[Any]:
    """Every content control in a text, including those in table cells."""
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        element = paragraphs.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            for cell_name in element.getCellNames():
                yield from _controls_in(element.getCellByName(cell_name).getText())
        elif element.supportsService("com.sun.star.text.Paragraph"):
            portions = element.createEnumeration()
            while portions.hasMoreElements():
                portion = portions.nextElement()
                if portion.TextPortionType == "ContentControl":
                    yield portion.ContentControl


def controls_by_tag(doc: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    texts = [doc.Text]
    frames = doc.TextFrames
    texts += [frames.getByName(name).getText() for name in frames.ElementNames]
    for text in texts:
        for control in _controls_in(text):
            found.setdefault(control.Tag, []).append(control)
    return found


def _replace_content(control: Any, text: str) -> None:
    cursor = control.createTextCursor()
    cursor.gotoStart(False)
    cursor.gotoEnd(True)
    # "\n" becomes a line break inside the paragraph, as Shift+Enter would.
    control.insertString(cursor, text, True)


def _kind(control: Any) -> str:
    if control.Checkbox:
        return "checkbox"
    if control.Date:
        return "date"
    if control.DropDown or control.ComboBox or len(control.ListItems) > 0:
        return "combobox" if control.ComboBox else "dropdown"
    return "text"


def _item_texts(control: Any) -> list[str]:
    texts = []
    for item in control.ListItems:
        fields = {prop.Name: prop.Value for prop in item}
        texts.append(fields.get("DisplayText") or fields.get("Value", ""))
    return texts


def fill_control(control: Any, tag: str, kind: str, value: Any) -> None:
    actual = _kind(control)
    if actual == "checkbox":
        if kind != "bool":
            raise JobError(f"{tag}: a checkbox takes true/false, got {kind}")
        # Clicking the box sets the state and swaps the glyph.
        control.Checked = value
        _replace_content(control, control.CheckedState if value else control.UncheckedState)
    elif actual == "date":
        if kind != "date":
            raise JobError(f"{tag}: a date control takes a date, got {kind}")
        control.CurrentDate = f"{dt.date.fromisoformat(value).isoformat()}T00:00:00Z"
        # The date picker writes the date formatted by the control's own format.
        _replace_content(control, control.DateString)
    elif actual in ("dropdown", "combobox"):
        if kind != "str":
            raise JobError(f"{tag}: a drop-down takes the display text of an item, got {kind}")
        items = _item_texts(control)
        if actual == "dropdown" and value not in items:
            raise JobError(f"{tag}: {value!r} is not an item of the drop-down {items!r}")
        # Picking an item puts its display text in the control, as the UI does.
        _replace_content(control, value)
    else:
        if kind != "str":
            raise JobError(f"{tag}: a text control takes text, got {kind}")
        _replace_content(control, value)
    control.ShowingPlaceHolder = False


def fill(doc: Any, actions: dict[str, dict[str, Any]]) -> None:
    controls = controls_by_tag(doc)
    missing = [tag for tag in actions if tag not in controls]
    if missing:
        known = ", ".join(sorted(t for t in controls if t)) or "none"
        raise JobError(f"no content control tagged {missing!r} (tags in the document: {known})")
    for tag, tagged in actions.items():
        for control in controls[tag]:
            fill_control(control, tag, tagged["type"], tagged["value"])
