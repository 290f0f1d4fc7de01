"""Whole-process CPU of each user-facing step, as ratios to a floor process.

Run: ``python -m benchmarks [--runs N] [--parties N]``. Every measurement is
a fresh child process (``python -m benchmarks.ratios TASK ...``), so start-up
and imports count as users feel them; its CPU time (user + system, from
``wait4``) is taken, not wall time, so that other work on the machine does
not count. The tasks run interleaved, round after round, and each step is
divided by its floor measured in the same round; the table gives the
minimum, median and maximum of these ratios.

The floors (what the file work itself costs, with nothing of ours):

- **start-up**: ``python -c "import typer"``.
- **generate**: a process that opens the form we generated, parses every XML
  part with lxml, serialises each again and writes the zip again.
- **parse**: a process that opens the return and parses every XML part with
  lxml.
- **round**: the generate floor once per issued form, and the parse floor once
  per return, in one process each.

Naive baselines, for scale, divided by the same floors: plain python-docx
and plain openpyxl and XlsxWriter writing the same texts (one paragraph or
one cell per prompt and per choice label, no styles, validations or
controls), and python-docx and openpyxl loading the same return.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfassess.response.meta import FormMeta

ROOT = Path(__file__).resolve().parents[1]
Command = list[str]


# --- what the children do -------------------------------------------------------------


def _floor_generate(source: str, target: str) -> None:
    from lxml import etree  # noqa: PLC0415 (the child imports only what it measures)

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename.endswith((".xml", ".rels")):
                body = etree.tostring(
                    etree.fromstring(body), xml_declaration=True, encoding="UTF-8"
                )
            zout.writestr(info.filename, body)


def _floor_parse(source: str) -> None:
    from lxml import etree  # noqa: PLC0415

    with zipfile.ZipFile(source) as zin:
        for info in zin.infolist():
            if info.filename.endswith((".xml", ".rels")):
                etree.fromstring(zin.read(info))


def _texts(path: str) -> list[list[str]]:
    """Per section, the texts a naive writer puts down (written by the parent)."""
    texts: list[list[str]] = json.loads(Path(path).read_text(encoding="utf-8"))
    return texts


def _naive_docx(texts: str, target: str) -> None:
    from docx import Document  # noqa: PLC0415

    doc = Document()
    for section in _texts(texts):
        doc.add_heading(section[0], level=1)
        for text in section[1:]:
            doc.add_paragraph(text)
    doc.save(target)


def _naive_openpyxl(texts: str, target: str) -> None:
    from openpyxl import Workbook  # noqa: PLC0415

    wb = Workbook()
    for n, section in enumerate(_texts(texts)):
        ws = wb.create_sheet(f"S{n}")
        for row, text in enumerate(section, start=1):
            ws.cell(row=row, column=2, value=text)
    wb.save(target)


def _naive_xlsxwriter(texts: str, target: str) -> None:
    import xlsxwriter  # noqa: PLC0415

    wb = xlsxwriter.Workbook(target)
    for n, section in enumerate(_texts(texts)):
        ws = wb.add_worksheet(f"S{n}")
        for row, text in enumerate(section):
            ws.write_string(row, 1, text)
    wb.close()


def _generate(fmt: str, lang: str, target: str) -> None:
    from selfassess.definitions.questionnaire import load_questionnaire  # noqa: PLC0415

    q = load_questionnaire()
    _writer(fmt)(q, _meta(q.id, q.version, lang), Path(target))


def _writer(fmt: str) -> Callable[..., None]:
    if fmt == "docx":
        from selfassess.forms.docx_writer import write_docx  # noqa: PLC0415

        return write_docx
    from selfassess.forms.xlsx_writer import write_xlsx  # noqa: PLC0415

    return write_xlsx


def _parse(source: str) -> None:
    from selfassess.forms.parse import parse_form  # noqa: PLC0415

    parse_form(source)


def _naive_load_docx(source: str) -> None:
    from docx import Document  # noqa: PLC0415

    Document(source)


def _naive_load_openpyxl(source: str) -> None:
    from openpyxl import load_workbook  # noqa: PLC0415

    load_workbook(source)


def _round_issue(store: str, out: str, parties: str) -> None:
    import datetime as dt  # noqa: PLC0415

    from selfassess.definitions.parties import load_parties  # noqa: PLC0415
    from selfassess.definitions.questionnaire import load_questionnaire  # noqa: PLC0415
    from selfassess.secretariat.round import issue_round  # noqa: PLC0415
    from selfassess.store import Store  # noqa: PLC0415

    all_parties = load_parties()
    chosen = all_parties.select(all_parties.codes()[: int(parties)])
    with Store(Path(store)) as st:
        issue_round(
            st,
            load_questionnaire(),
            chosen,
            Path(out),
            formats=["docx", "xlsx"],
            deadline=dt.date(2025, 3, 31),
            # A fixed issue date: the deadline must not be before it, whatever today is.
            issued=dt.date(2025, 2, 1),
            workers=1,
        )


def _round_ingest(store: str, returns: str) -> None:
    from selfassess.secretariat.ingest import ingest_paths  # noqa: PLC0415
    from selfassess.store import Store  # noqa: PLC0415

    with Store(Path(store)) as st:
        ingest_paths(st, [Path(returns)], workers=1)


def _floor_many(kind: str, folder: str) -> None:
    """The generate or parse floor once per form in ``folder``, in one process."""
    for path in sorted(Path(folder).iterdir()):
        if kind == "generate":
            _floor_generate(str(path), str(path) + ".floor")
            Path(str(path) + ".floor").unlink()
        else:
            _floor_parse(str(path))


def _meta(qid: str, version: str, lang: str) -> FormMeta:
    import datetime as dt  # noqa: PLC0415

    from selfassess.response.meta import FormMeta  # noqa: PLC0415

    return FormMeta(
        questionnaire=qid,
        version=version,
        language=lang,
        form_id="fbenchmark",
        issued=dt.date(2025, 2, 1),
        deadline=dt.date(2025, 6, 30),
    )


CHILDREN: dict[str, Callable[..., None]] = {
    "floor-generate": _floor_generate,
    "floor-parse": _floor_parse,
    "floor-many": _floor_many,
    "naive-docx": _naive_docx,
    "naive-openpyxl": _naive_openpyxl,
    "naive-xlsxwriter": _naive_xlsxwriter,
    "generate": _generate,
    "parse": _parse,
    "naive-load-docx": _naive_load_docx,
    "naive-load-openpyxl": _naive_load_openpyxl,
    "round-issue": _round_issue,
    "round-ingest": _round_ingest,
}


# --- the parent -----------------------------------------------------------------------


def cpu_of(command: Command) -> float:
    """CPU seconds (user + system) of one child process and its own children."""
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"benchmark step failed ({child.returncode}): {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime


def _task(*args: str) -> Command:
    return [sys.executable, "-m", "benchmarks.ratios", *args]


def _prepare(work: Path) -> dict[str, tuple[Command, Command]]:
    """Every measured step with its floor: name -> (step, floor)."""
    from selfassess.constants import (  # noqa: PLC0415
        CTX_CHOICE_LABEL,
        CTX_ITEM_PROMPT,
        CTX_SECTION_TITLE,
    )
    from selfassess.definitions.questionnaire import load_questionnaire  # noqa: PLC0415
    from selfassess.i18n.localizer import Localizer  # noqa: PLC0415

    q = load_questionnaire()
    steps: dict[str, tuple[Command, Command]] = {
        "start-up: selfassess --help": (
            [sys.executable, "-m", "selfassess", "--help"],
            [sys.executable, "-c", "import typer"],
        ),
    }
    for lang in ("en", "ar"):
        loc = Localizer(lang)
        texts = [
            [loc.content(CTX_SECTION_TITLE, s.title)]
            + [
                text
                for item in (*s.items, *(i for e in s.recommendations for i in e.items))
                for text in (
                    loc.content(CTX_ITEM_PROMPT, item.prompt),
                    *(loc.content(CTX_CHOICE_LABEL, c.label) for c in q.choices_of(item)),
                )
            ]
            for s in q.sections
        ]
        (work / f"texts-{lang}.json").write_text(json.dumps(texts), encoding="utf-8")
        for fmt in ("docx", "xlsx"):
            form = work / f"form-{lang}.{fmt}"
            _writer(fmt)(q, _meta(q.id, q.version, lang), form)
            floor = _task("floor-generate", str(form), str(work / f"floor-{lang}.{fmt}"))
            out = str(work / f"out-{lang}.{fmt}")
            steps[f"generate {fmt} {lang}"] = (_task("generate", fmt, lang, out), floor)
            if lang == "en":
                steps[f"parse {fmt}"] = (_task("parse", str(form)), _task("floor-parse", str(form)))
        texts_path = str(work / f"texts-{lang}.json")
        docx_floor = _task("floor-generate", str(work / f"form-{lang}.docx"), out + ".f")
        xlsx_floor = _task("floor-generate", str(work / f"form-{lang}.xlsx"), out + ".f")
        steps[f"  naive python-docx {lang}"] = (_task("naive-docx", texts_path, out), docx_floor)
        steps[f"  naive openpyxl {lang}"] = (_task("naive-openpyxl", texts_path, out), xlsx_floor)
        steps[f"  naive XlsxWriter {lang}"] = (
            _task("naive-xlsxwriter", texts_path, out),
            xlsx_floor,
        )
    for fmt, naive in (("docx", "naive-load-docx"), ("xlsx", "naive-load-openpyxl")):
        form = str(work / f"form-en.{fmt}")
        steps[f"  naive load {fmt}"] = (_task(naive, form), _task("floor-parse", form))
    return steps


def _round_steps(work: Path, parties: int, run: int) -> dict[str, tuple[float, float]]:
    """(step CPU, floor CPU) of issuing a round and ingesting its returns."""
    base = work / f"round-{run}"
    forms, returns = base / "forms", base / "returns"
    returns.mkdir(parents=True)
    store = str(base / "store.sqlite")
    issue = cpu_of(_task("round-issue", store, str(forms), str(parties)))
    issue_floor = cpu_of(_task("floor-many", "generate", str(forms)))
    for path in forms.rglob("*.*x"):
        (returns / path.name).write_bytes(path.read_bytes())
    ingest = cpu_of(_task("round-ingest", store, str(returns)))
    ingest_floor = cpu_of(_task("floor-many", "parse", str(returns)))
    return {
        f"round: issue {parties} Parties x 2 formats": (issue, issue_floor),
        f"round: ingest {2 * parties} returns": (ingest, ingest_floor),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="interleaved rounds (default 3)")
    ap.add_argument("--parties", type=int, default=4, help="Parties in the round steps")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="selfassess-bench-") as tmp:
        work = Path(tmp)
        steps = _prepare(work)
        ratios: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        floors: dict[str, list[float]] = {}
        for run in range(args.runs):
            measured = {
                name: (cpu_of(step), cpu_of(floor)) for name, (step, floor) in steps.items()
            }
            measured.update(_round_steps(work, args.parties, run))
            for name, (value, floor) in measured.items():
                ratios.setdefault(name, []).append(value / floor)
                cpu.setdefault(name, []).append(value)
                floors.setdefault(name, []).append(floor)
    print("| step | ratio min–median–max | CPU s (median) | floor CPU s (median) |")
    print("| --- | --- | --- | --- |")
    for name, values in ratios.items():
        print(
            f"| {name.strip()}{' (baseline)' if name.startswith('  ') else ''} | "
            f"{min(values):.1f}–{statistics.median(values):.1f}–{max(values):.1f} | "
            f"{statistics.median(cpu[name]):.2f} | {statistics.median(floors[name]):.2f} |"
        )
    print(f"\n{args.runs} interleaved runs in {time.perf_counter() - started:.0f} s")


def child(argv: list[str]) -> None:
    CHILDREN[argv[0]](*argv[1:])


if __name__ == "__main__":
    child(sys.argv[1:])
