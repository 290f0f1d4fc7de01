"""The country report as Markdown (CommonMark with GitHub tables).

Respondents' text is escaped so that it stays text: no table cell broken by
``|``, no HTML, no Markdown emphasis or links from an answer. Arabic is
wrapped in a right-to-left block.
"""

from __future__ import annotations

import html
import re

from selfassess.reports.country import CountryReport

# Inline markup anywhere: emphasis, code, links and images, strike-through, cells.
_MARKUP = re.compile(r"([\\`*_\[\]|~!])")
# What GitHub's autolink extension turns into a link without any markup:
# scheme://, www., and e-mail addresses (mailto:, xmpp: included).
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?<=\bwww)(\.)|(@)", re.I)
# Block markup where a text starts: headings, quotes, lists, setext lines.
_BLOCK_START = re.compile(r"^(\d{0,9})([#>+\-=]|(?<=\d)[.)])")


def escape(text: str) -> str:
    r"""Text that stays text inside a Markdown table cell, heading, list item or
    paragraph: no HTML, link, autolink, emphasis, list or broken cell from it.

    Every piece of text the Markdown report writes goes through here.

    >>> escape("a|b *c* <script>\nnext")
    'a\\|b \\*c\\* &lt;script&gt;<br>next'
    >>> escape("- see https://x.org or www.x.org, mail a@x.org")
    '\\- see https\\://x.org or www\\.x.org, mail a\\@x.org'
    """
    escaped = html.escape(text.lstrip(" \t"), quote=False)
    escaped = _MARKUP.sub(r"\\\1", escaped)
    escaped = _AUTOLINK.sub(lambda m: "\\" + m[0], escaped)
    escaped = _BLOCK_START.sub(r"\1\\\2", escaped)
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
