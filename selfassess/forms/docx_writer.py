"""Word (.docx) forms with content controls.

python-docx gives the package, the styles, the sections and the header and
footer; everything else (paragraphs, tables, content controls) is built with
lxml straight into its tree, which is both the only way to make content
controls and far faster than python-docx's table API for 300 questions.

The layout and the anchors are a public contract, described in
``docs/word-forms.md``: every answer slot is a content control tagged with the
item id (``ITEM:OPTION`` for each checkbox of a multiple choice), and every
answer also sits in the third cell of a table row whose first cell holds
exactly the item's reference, so that a return whose controls were stripped by
an editor can still be read.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

import docx
from babel.dates import format_date
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import RGBColor
from lxml import etree

from selfassess.constants import (
    COUNTRY_SLOT,
    CTX_CHOICE_HELP,
    CTX_CHOICE_LABEL,
    CTX_ENTRY_NOTE,
    CTX_ITEM_HELP,
    CTX_ITEM_PROMPT,
    CTX_QUESTIONNAIRE_TITLE,
    CTX_REC_TITLE,
    CTX_SECTION_TITLE,
    META_PREFIX,
)
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.contact import SecretariatContact
from selfassess.definitions.model import Catalogue, Condition, Item, Questionnaire, Section
from selfassess.forms.citations import shown_text, source_lines, translation_notice
from selfassess.forms.returning import contact_rows, period_text, return_steps
from selfassess.i18n.localizer import Localizer, date_pattern
from selfassess.office.ooxml import (
    CHECKED_GLYPH,
    CT_CUSTOM_PROPERTIES,
    CUSTOM_PART,
    HASH_SIDS,
    RT_CUSTOM_PROPERTIES,
    UNCHECKED_GLYPH,
    custom_properties_xml,
    placeholders,
    protection_hash,
)
from selfassess.office.word import (
    GREY,
    LANGUAGE_TAGS,
    TEXT_WIDTH,
    E,
    WordBuilder,
    qn,
)
from selfassess.response.interpret import NOT_ASKED, Answer, asked, check_prefill, range_hint
from selfassess.response.meta import FormMeta

#: The glyph font Word itself uses for checkbox content controls.
CHECKBOX_FONT = "MS Gothic"
#: Rounds of the editing-restriction hash, as Word 2013 and later write.
PROTECTION_SPIN_COUNT = 100_000
PLACEHOLDER_STYLE = "Placeholder Text"
PLACEHOLDER_STYLE_ID = "PlaceholderText"
QUOTE_STYLE = "Recommendation Text"
QUOTE_STYLE_ID = "RecommendationText"

# Page geometry in twentieths of a point: A4 with 2 cm margins.
_COLUMNS = (1100, 4650, TEXT_WIDTH - 1100 - 4650)
_DETAIL_COLUMNS = (3000, TEXT_WIDTH - 3000)
_SCALE_COLUMNS = (2600, TEXT_WIDTH - 2600)
#: Word names a Gregorian month in Arabic by its calendar: the transliterated
#: English names (يناير ... ديسمبر) are the ones CLDR, and so every printed
#: date of the form, uses.
_PICKER_CALENDARS = {"ar": "gregorianXlitEnglish"}


def word_date_format(lang: str) -> str:
    """The date picker's format: the pattern of every printed date of the form.

    Word's date pictures read ``d``, ``M``, ``y`` and quoted literals as CLDR
    does. Only French "1er" (the first of the month) is beyond a picture: the
    picker shows "1 décembre 2026" where the cover prints "1er décembre 2026".

    >>> word_date_format("fr"), word_date_format("en"), word_date_format("zh")
    ('d MMMM yyyy', 'd MMMM yyyy', 'yyyy年M月d日')
    """
    return date_pattern(lang)


def format_picker_date(value: dt.date, lang: str) -> str:
    """A date as the date picker shows it in ``lang`` (the pattern above)."""
    return str(format_date(value, word_date_format(lang), locale=lang))


class _Builder(WordBuilder):
    def __init__(
        self,
        questionnaire: Questionnaire,
        meta: FormMeta,
        loc: Localizer,
        prefill: Mapping[str, Answer],
        contact: SecretariatContact | None,
    ) -> None:
        super().__init__(docx.Document(), loc)
        self.q = questionnaire
        self.meta = meta
        self.prefill = prefill
        self.contact = contact
        self.placeholder = placeholders(loc)
        self.ids = itertools.count(1)
        self.catalogue: Catalogue = load_catalogue(questionnaire.catalogue)

    # --- content controls -------------------------------------------------

    def _sdt(
        self,
        tag: str,
        alias: str,
        kind: etree._Element,
        content: list[etree._Element],
        *,
        showing_placeholder: bool,
    ) -> etree._Element:
        # sdtPr children in schema order: rPr, alias, tag, id, lock, placeholder,
        # temporary, showingPlcHdr, dataBinding, label, tabIndex, then the type.
        pr = E(
            "w:sdtPr",
            None,
            self.rpr(rtl=self.rtl),
            E("w:alias", {"w:val": alias}),
            E("w:tag", {"w:val": tag}),
            E("w:id", {"w:val": str(next(self.ids))}),
            E("w:lock", {"w:val": "sdtLocked"}),
        )
        if showing_placeholder:
            pr.append(E("w:showingPlcHdr"))
        pr.append(kind)
        return E("w:sdt", None, pr, E("w:sdtContent", None, *content))

    def _content(self, text: str | None, kind: str) -> tuple[list[etree._Element], bool]:
        """Runs of a control: the answer, or the grey placeholder."""
        if text is None:
            return [
                self.run(self.placeholder[kind], rtl=self.rtl, style=PLACEHOLDER_STYLE_ID)
            ], True
        return [self.run(text, rtl=self.rtl)], False

    def text_control(self, tag: str, alias: str, kind: str, value: str | None) -> etree._Element:
        content, empty = self._content(value, kind)
        return self._sdt(
            tag, alias, E("w:text", {"w:multiLine": "1"}), content, showing_placeholder=empty
        )

    def dropdown(
        self, tag: str, alias: str, entries: list[tuple[str, str]], picked: str | None
    ) -> etree._Element:
        """A drop-down of (value, display text); ``picked`` is a value."""
        ddl = E("w:dropDownList")
        # A first entry showing the placeholder lets a respondent clear the answer.
        ddl.append(E("w:listItem", {"w:displayText": self.placeholder["choice"], "w:value": ""}))
        shown = None
        for value, display in entries:
            ddl.append(E("w:listItem", {"w:displayText": display, "w:value": value}))
            if value == picked:
                shown = display
        content, empty = self._content(shown, "choice")
        return self._sdt(tag, alias, ddl, content, showing_placeholder=empty)

    def date_control(self, tag: str, alias: str, value: dt.date | None) -> etree._Element:
        attrs = {"w:fullDate": f"{value.isoformat()}T00:00:00Z"} if value else {}
        kind = E(
            "w:date",
            attrs,
            E("w:dateFormat", {"w:val": word_date_format(self.lang)}),
            E("w:lid", {"w:val": LANGUAGE_TAGS[self.lang]}),
            E("w:storeMappedDataAs", {"w:val": "dateTime"}),
            E("w:calendar", {"w:val": _PICKER_CALENDARS.get(self.lang, "gregorian")}),
        )
        content, empty = self._content(
            format_picker_date(value, self.lang) if value else None, "date"
        )
        return self._sdt(tag, alias, kind, content, showing_placeholder=empty)

    def checkbox(self, tag: str, alias: str, checked: bool) -> etree._Element:
        kind = E(
            "w14:checkbox",
            None,
            E("w14:checked", {"w14:val": "1" if checked else "0"}),
            E("w14:checkedState", {"w14:val": "2612", "w14:font": CHECKBOX_FONT}),
            E("w14:uncheckedState", {"w14:val": "2610", "w14:font": CHECKBOX_FONT}),
        )
        glyph = self.run(
            CHECKED_GLYPH if checked else UNCHECKED_GLYPH,
            rtl=False,
            fonts={
                "w:ascii": CHECKBOX_FONT,
                "w:eastAsia": CHECKBOX_FONT,
                "w:hAnsi": CHECKBOX_FONT,
                "w:hint": "eastAsia",
            },
        )
        return self._sdt(tag, alias, kind, [glyph], showing_placeholder=False)

    # --- items ------------------------------------------------------------

    def answer_cell(self, item: Item) -> list[etree._Element]:
        value = self.prefill.get(item.id)
        loc = self.loc
        if not asked(item, self.meta.country):
            return [self.text_para(loc.gettext(NOT_ASKED), italic=True, color=GREY, after=0)]
        if item.type == "multichoice":
            picked = set(value) if isinstance(value, list) else set()
            return [
                self.para(
                    [
                        self.checkbox(f"{item.id}:{ch.code}", item.ref, ch.code in picked),
                        self.run(" " + loc.content(CTX_CHOICE_LABEL, ch.label)),
                    ],
                    after=20,
                )
                for ch in self.q.choices_of(item)
            ]
        if item.type == "choice":
            entries = [
                (ch.code, loc.content(CTX_CHOICE_LABEL, ch.label)) for ch in self.q.choices_of(item)
            ]
            control = self.dropdown(item.id, item.ref, entries, value if value else None)  # type: ignore[arg-type]  # checked by check_prefill
        elif item.type == "date":
            control = self.date_control(item.id, item.ref, _as_date(value))
        elif item.type == "number":
            shown = None if value is None else loc.number(value)  # type: ignore[arg-type]  # checked by check_prefill
            control = self.text_control(item.id, item.ref, "number", shown)
        else:
            control = self.text_control(item.id, item.ref, "text", value)  # type: ignore[arg-type]  # checked by check_prefill
        return [self.para([control], after=0)]

    def question_cell(self, item: Item) -> list[etree._Element]:
        loc = self.loc
        prompt = loc.content(CTX_ITEM_PROMPT, item.prompt)
        runs = [self.run(prompt)]
        if not asked(item, self.meta.country):
            # Nothing to answer: no required mark, help or condition.
            return [self.para(runs, after=40)]
        if item.required:
            runs.append(self.run(" *", bold=True, color="C00000"))
        out = [self.para(runs, after=40)]
        notes: list[str] = []
        if item.help:
            notes.append(loc.content(CTX_ITEM_HELP, item.help))
        if range_hint(item, loc):
            notes.append(range_hint(item, loc))
        if item.condition is not None:
            notes.append(self._condition_text(item.condition))
        out.extend(self.text_para(n, italic=True, size=18, color=GREY, after=40) for n in notes)
        return out

    def _condition_text(self, cond: Condition) -> str:
        target = self.q.item(cond.item)
        code = cond.equals if cond.equals is not None else cond.includes
        label = next(
            (
                self.loc.content(CTX_CHOICE_LABEL, ch.label)
                for ch in self.q.choices_of(target)
                if ch.code == code
            ),
            code or "",
        )
        if cond.equals is not None:
            return self.loc.gettext("Answer only if the answer to {ref} is: {answer}").format(
                ref=target.ref, answer=label
            )
        return self.loc.gettext("Answer only if “{answer}” is ticked under {ref}.").format(
            ref=target.ref, answer=label
        )

    def item_table(self, items: Iterable[Item]) -> etree._Element:
        loc = self.loc
        tbl = self.table(_COLUMNS)
        head = [loc.gettext("Ref."), loc.gettext("Question"), loc.gettext("Answer")]
        # The header row keeps with the first question, so the heading and text
        # kept with the table never end a page above a header alone.
        self.row(
            tbl,
            _COLUMNS,
            [[self.text_para(h, bold=True, after=0, keep_next=True)] for h in head],
            header=True,
        )
        for item in items:
            # The first cell holds exactly the reference: the fallback reader
            # finds a stripped answer by it (docs/word-forms.md).
            self.row(
                tbl,
                _COLUMNS,
                [
                    [self.para([self.run(item.ref, rtl=False, bold=True)], after=0)],
                    self.question_cell(item),
                    self.answer_cell(item),
                ],
            )
        return tbl

    # --- parts of the document --------------------------------------------

    def cover(self, sections: list[Section]) -> None:
        loc, meta = self.loc, self.meta
        self.add(self.text_para(loc.content(CTX_QUESTIONNAIRE_TITLE, self.q.title), style="Title"))
        tbl = self.table(_DETAIL_COLUMNS)
        if meta.country:
            country = [self.para([self.run(loc.country(meta.country), bold=True)], after=0)]
        else:
            entries = list(loc.countries())
            country = [
                self.para(
                    [self.dropdown(COUNTRY_SLOT, loc.gettext("Country"), entries, None)], after=0
                )
            ]
        details: list[tuple[str, list[etree._Element]]] = [
            (loc.gettext("Version"), [self.text_para(self.q.version, after=0)]),
            (loc.gettext("Country"), country),
            (loc.gettext("Language"), [self.text_para(loc.language_name(self.lang), after=0)]),
            (loc.gettext("Form"), [self.text_para(meta.form_id, after=0)]),
            (loc.gettext("Issued"), [self.text_para(loc.date(meta.issued), after=0)]),
        ]
        if meta.deadline:
            details.append(
                (
                    loc.gettext("Deadline for reply"),
                    [self.text_para(loc.date(meta.deadline), bold=True, after=0)],
                )
            )
        if meta.period:
            details.append(
                (
                    loc.gettext("Reporting period"),
                    [self.text_para(period_text(meta.period, loc), after=0)],
                )
            )
        details.extend(
            # Names, e-mail addresses and numbers are often Latin inside an
            # Arabic cover: runs() keeps each stretch in its own direction.
            (label, [self.para(self.runs(line), after=0) for line in value.splitlines()])
            for label, value in contact_rows(self.contact, loc)
        )
        for label, value in details:
            self.row(tbl, _DETAIL_COLUMNS, [[self.text_para(label, bold=True, after=0)], value])
        self.add(tbl)
        for section in sections:
            self.add(
                self.text_para(loc.content(CTX_SECTION_TITLE, section.title), style="Heading1")
            )
            self.add(self.item_table(section.items))
            self.add(self.para(after=0))

    def instructions(self) -> None:
        loc = self.loc
        # No page break of its own: a cover with the period and the secretariat's
        # contact details runs onto a second page, which would otherwise hold
        # a row or two and nothing else. The heading keeps with its first line.
        self.add(self.text_para(loc.gettext("Instructions"), style="Heading1"))
        lines = [
            loc.gettext(
                "Answer each question in the Answer column: click a grey field and type, "
                "pick an answer from its list, tick the boxes that apply, or pick a date."
            ),
            loc.gettext(
                "Questions marked with * are required. Some questions apply only after a "
                "given answer to an earlier question; they say so under the question."
            ),
            loc.gettext("Type numbers with digits only, for example {example}.").format(
                example=loc.number(1234.5)
            ),
            loc.gettext(
                "Only the answer fields can be changed. Please do not delete or copy them "
                "and do not change the tables: the answers are read back automatically."
            ),
        ]
        for line in lines:
            self.add(self.text_para(line))
        recs = [
            self.catalogue.get(e.recommendation) for s in self.q.sections for e in s.recommendations
        ]
        notice = translation_notice(self.catalogue, recs, loc)
        if notice:
            self.add(self.text_para(notice, style=QUOTE_STYLE_ID, italic=True))
        sources = source_lines(self.catalogue, recs, loc)
        if sources:
            self.add(self.text_para(loc.gettext("Sources"), style="Heading2"))
            for line in sources:
                self.add(self.text_para(line))
        for cl in self.q.choice_lists:
            if not cl.scored:
                continue
            self.add(self.text_para(loc.gettext("Implementation status"), style="Heading2"))
            self.add(
                self.text_para(
                    loc.gettext(
                        "For each recommendation, choose the status that best describes the "
                        "situation in your country:"
                    )
                )
            )
            tbl = self.table(_SCALE_COLUMNS)
            for ch in cl.choices:
                meaning = loc.content(CTX_CHOICE_HELP, ch.help) if ch.help else ""
                self.row(
                    tbl,
                    _SCALE_COLUMNS,
                    [
                        [
                            self.text_para(
                                loc.content(CTX_CHOICE_LABEL, ch.label), bold=True, after=0
                            )
                        ],
                        [self.text_para(meaning, after=0)],
                    ],
                )
            self.add(tbl)
        # Last, after what the answers mean: what to do with the completed form.
        self.add(self.text_para(loc.gettext("Returning the form"), style="Heading2"))
        for line in return_steps("docx", self.meta, self.contact, loc):
            self.add(self.para(self.runs(line)))

    def sections(self, sections: list[Section]) -> None:
        loc = self.loc
        for section in sections:
            self.add(
                self.text_para(
                    loc.content(CTX_SECTION_TITLE, section.title), style="Heading1", page_break=True
                )
            )
            if section.items:
                self.add(self.item_table(section.items))
            for entry in section.recommendations:
                rec = self.catalogue.get(entry.recommendation)
                title = loc.content(CTX_REC_TITLE, rec.title)
                # Heading, text and note keep with the question table that follows.
                self.add(
                    self.para(
                        [self.run(rec.ref, rtl=False), self.run(" " + title)],
                        style="Heading2",
                        keep_next=True,
                    )
                )
                self.add(
                    self.text_para(shown_text(rec, loc)[0], style=QUOTE_STYLE_ID, keep_next=True)
                )
                if entry.note:
                    self.add(
                        self.text_para(
                            loc.content(CTX_ENTRY_NOTE, entry.note),
                            italic=True,
                            color=GREY,
                            keep_next=True,
                        )
                    )
                if entry.items:
                    self.add(self.item_table(entry.items))
                    self.add(self.para(after=0))

    # --- styles, page, header, footer, settings, metadata ------------------

    def styles(self) -> None:
        styles = self.doc.styles
        placeholder = styles.add_style(PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
        placeholder.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
        quote = styles.add_style(QUOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        quote.base_style = styles["Normal"]
        ppr = quote.element.get_or_add_pPr()
        border = E("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            border.append(
                E(
                    f"w:{side}",
                    {"w:val": "single", "w:sz": "4", "w:space": "4", "w:color": "BFBFBF"},
                )
            )
        ppr.append(border)
        ppr.append(E("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": "F2F2F2"}))
        ppr.append(E("w:spacing", {"w:before": "120", "w:after": "160"}))
        # Equal indents on both sides, so the box is the same in a bidi paragraph.
        ppr.append(E("w:ind", {"w:left": "113", "w:right": "113"}))
        self.defaults()
        defaults = styles.element.find(qn("w:docDefaults"))
        spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        spacing.set(qn("w:after"), "120")
        spacing.set(qn("w:line"), "259")

    def page(self) -> None:
        loc, meta = self.loc, self.meta
        line = loc.gettext("Version {version} · form {form_id} · {language}").format(
            version=self.q.version,
            form_id=meta.form_id,
            language=loc.language_name(self.lang),
        )
        self.page_setup(self.doc.sections[0], [self.text_para(line, size=16, color=GREY, after=0)])

    def settings(self, password: str | None) -> None:
        settings = self.doc.settings.element
        protection = E("w:documentProtection", {"w:edit": "forms", "w:enforcement": "1"})
        if password:
            # What Word 2013 and later write: SHA-512, 100,000 rounds. The
            # restriction only guides respondents; integrity comes from the
            # signature and from validation on parse.
            salt = secrets.token_bytes(16)
            for key, value in (
                ("cryptProviderType", "rsaAES"),
                ("cryptAlgorithmClass", "hash"),
                ("cryptAlgorithmType", "typeAny"),
                ("cryptAlgorithmSid", str(HASH_SIDS["sha512"])),
                ("cryptSpinCount", str(PROTECTION_SPIN_COUNT)),
                ("hash", protection_hash(password, salt, PROTECTION_SPIN_COUNT)),
                ("salt", base64.b64encode(salt).decode("ascii")),
            ):
                protection.set(qn(f"w:{key}"), value)
        # Schema order: documentProtection comes before defaultTabStop.
        settings.find(qn("w:defaultTabStop")).addprevious(protection)

    def metadata(self) -> None:
        props = self.doc.core_properties
        props.title = self.loc.content(CTX_QUESTIONNAIRE_TITLE, self.q.title)
        props.language = LANGUAGE_TAGS[self.lang]
        props.identifier = self.meta.form_id
        props.author = props.last_modified_by = ""
        props.revision = 1
        package = self.doc.part.package
        strings = {META_PREFIX + k: v for k, v in self.meta.as_strings().items()}
        part = Part(
            PackURI(CUSTOM_PART), CT_CUSTOM_PROPERTIES, custom_properties_xml(strings), package
        )
        package.relate_to(part, RT_CUSTOM_PROPERTIES)

    def build(self, password: str | None) -> docx.document.Document:
        self.styles()
        self.page()
        self.settings(password)
        self.metadata()
        cover = list(itertools.takewhile(lambda s: not s.recommendations, self.q.sections))
        self.cover(cover)
        self.instructions()
        self.sections(list(self.q.sections[len(cover) :]))
        return self.doc


def _as_date(value: Answer) -> dt.date | None:
    """A prefilled date: "YYYY-MM-DD", as parsing returns it."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def write_docx(
    questionnaire: Questionnaire,
    meta: FormMeta,
    out: Path | BinaryIO,
    loc: Localizer | None = None,
    *,
    password: str | None = None,
    prefill: Mapping[str, Answer] | None = None,
    contact: SecretariatContact | None = None,
) -> None:
    """Write a Word form of ``questionnaire`` with the metadata ``meta``.

    ``loc`` (default: the form's language) translates every string; untranslated
    ones are in ``loc.missing`` afterwards. ``prefill`` maps item ids to
    answers in the shape of :class:`selfassess.response.interpret.ParseResult`; they are
    written as a respondent would have given them. ``password`` is needed to
    lift the "filling in forms" restriction in Word (none by default).
    ``contact``: the secretariat's details, printed on the cover when given.
    """
    loc = loc or Localizer(meta.language)
    prefill = check_prefill(questionnaire, prefill or {})
    document = _Builder(questionnaire, meta, loc, prefill, contact).build(password)
    document.save(str(out) if isinstance(out, Path) else out)
