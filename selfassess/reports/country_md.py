"""The country report as Markdown (CommonMark with GitHub tables).

Respondents' text is escaped so that it stays text: no table cell broken by
``|``, no HTML, no Markdown emphasis or links from an answer. Arabic is
wrapped in a right-to-left block.
"""

from __future__ import annotations

import html
import re

from selfassess.reports.country import CountryReport

# Enough for text inside table cells and our own paragraphs, where nothing
# stands at the start of a line: emphasis, code, links, strike-through, cells.
_MARKUP = re.compile(r"([\\`*_\[\]|~])")


def escape(text: str) -> str:
    r"""Text safe inside a Markdown table cell or paragraph.

    >>> escape("a|b *c* <script>\nnext")
    'a\\|b \\*c\\* &lt;script&gt;<br>next'
    """
    escaped = _MARKUP.sub(r"\\\1", html.escape(text, quote=False))
    return "<br>".join(escaped.splitlines())


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(escape(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def render_md(report: CountryReport) -> str:
    r = report
    lines = [f"# {escape(r.title)}", "", escape(r.subtitle), ""]
    lines += [f"## {escape(r.headings.summary)}", ""]
    lines += _table(("", ""), [(row.label, row.value) for row in r.summary])
    lines += [escape(r.note), ""]
    lines += [f"## {escape(r.headings.chart)}", ""]
    lines += _table((r.chart.category, r.chart.axis), [(b.label, b.text) for b in r.chart.bars])
    lines += [f"## {escape(r.headings.recommendations)}", ""]
    for section in r.sections:
        lines += [f"### {escape(section.title)}", ""]
        lines += [escape(r.section_label.format(value=section.implementation)), ""]
        lines += _table(r.table_header, [(x.ref, x.title, x.status, x.gap) for x in section.rows])
    lines += [f"## {escape(r.headings.needs)}", ""]
    if r.needs:
        lines += _table(
            r.needs_header,
            [(n.kind, n.priority, "\n".join(n.recommendations)) for n in r.needs],
        )
    else:
        lines += [escape(r.no_needs), ""]
    lines += [f"## {escape(r.headings.questions)}", ""]
    if r.questions:
        lines += [f"{i}. {escape(text)}" for i, text in enumerate(r.questions, 1)] + [""]
    else:
        lines += [escape(r.no_questions), ""]
    lines += [f"## {escape(r.headings.annex)}", ""]
    for group in r.annex:
        lines += [f"### {escape(group.title)}", ""]
        lines += _table(r.annex_header, [(a.ref, a.question, a.answer) for a in group.rows])
    body = "\n".join(lines).rstrip() + "\n"
    if r.rtl:
        # Blank lines around the body keep it Markdown inside the HTML block.
        return f'<div dir="rtl" lang="{r.lang}">\n\n{body}\n</div>\n'
    return body
