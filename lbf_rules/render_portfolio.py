"""The ranked portfolio as a Danish terminal table, Markdown, CSV or JSON.

Names and municipalities come from the cases: they are escaped for each format (control
characters shown, Markdown and HTML escaped, spreadsheet formulas neutralised) by lbf_rules.escape.
"""

from __future__ import annotations

import csv
import io
import json

from .danish import danish_number
from .escape import csv_cell, plain
from .escape import markdown as md
from .portfolio import ORDER_TEXT, PRACTICE_NOTE, UNKNOWN, Ranked

STATE = {"tildelt": "tildelt", "uden_for_rammen": "uden for rammen", "ikke_i_fordelingen": "ikke i fordelingen"}
STATUS = {
    "omdannelsesomraade": "omdannelse",
    "parallelsamfund": "parallelsamfund",
    "udsat_boligomraade": "udsat",
    "forebyggelsesomraade": "forebyggelse",
    None: "-",
}
HEAD = ["Plads", "Område", "Kommune", "Prioritet", "Liste", "Krit.", "Uden for arb.", "Ansøgt/år", "Andel", "Tildelt/år", "Fordeling"]


def _kr(value: int | None) -> str:
    return "-" if value is None else danish_number(value)


def rows(ranked: list[Ranked], with_frame: bool) -> list[list[str]]:
    """Table cells as plain text (not yet escaped: each format escapes them its own way)."""
    out = []
    for place, item in enumerate(ranked, start=1):
        out.append(
            [
                str(place),
                item.case["navn"],
                item.case.get("kommune", "-"),
                item.tier_name,
                STATUS[item.status] if item.status_known else "?",
                str(item.criteria),
                item.labour_text,
                _kr(item.yearly_kr),
                f"{danish_number(item.share_pct)} %" if with_frame and item.state != "ikke_i_fordelingen" else "-",
                _kr(item.granted_kr) if with_frame else "-",
                STATE[item.state] if with_frame else "-",
            ]
        )
    return out


def summary(round_info: dict) -> list[str]:
    lines = [
        f"Rangordning pr. {round_info['dato']} efter: " + "; ".join(f"{i}) {t}" for i, t in enumerate(ORDER_TEXT, start=1)),
        PRACTICE_NOTE + ".",
    ]
    if round_info.get("ramme_kr") is not None:
        lines.append(
            f"Ramme {_kr(round_info['ramme_kr'])} kr./år; fordelt {_kr(round_info['fordelt_kr'])} kr.; "
            f"tilbage {_kr(round_info['rest_kr'])} kr.; uden for rammen: {round_info['uden_for_rammen'] or 'ingen'}"
        )
    return lines


def text(ranked: list[Ranked], round_info: dict) -> str:
    table = [HEAD] + [[plain(c, 60) for c in row] for row in rows(ranked, round_info.get("ramme_kr") is not None)]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEAD))]
    right = {0, 5, 6, 7, 8, 9}
    lines = [plain(line, 2000) for line in summary(round_info)] + [""]
    for n, row in enumerate(table):
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.append("Hvorfor står et område over det næste:")
    for place, item in enumerate(ranked[:-1], start=1):
        lines.append(f"  {place}. over {place + 1}.: {plain(item.above_next, 600)}")
    lines.append("")
    lines.append("Begrundelser:")
    for place, item in enumerate(ranked, start=1):
        lines.append(f"  {place}. {plain(item.case['navn'], 60)}: {plain('; '.join(item.reasons), 1000)}")
    return "\n".join(lines) + "\n"


def markdown(ranked: list[Ranked], round_info: dict) -> str:
    table = rows(ranked, round_info.get("ramme_kr") is not None)
    lines = [f"## Prioritering pr. {round_info['dato']}", ""] + [f"{md(line, 2000)}  " for line in summary(round_info)] + [""]
    lines.append("| " + " | ".join(HEAD) + " |")
    lines.append("|" + "|".join("---:" if i in (0, 5, 6, 7, 8, 9) else "---" for i in range(len(HEAD))) + "|")
    for row in table:
        lines.append("| " + " | ".join(md(c) for c in row) + " |")
    lines += ["", "### Hvorfor står et område over det næste", ""]
    lines += [f"{p}. {md(item.above_next, 600)}" for p, item in enumerate(ranked[:-1], start=1)]
    return "\n".join(lines) + "\n"


def to_csv(ranked: list[Ranked], round_info: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")  # Danish spreadsheets expect ';'
    writer.writerow(
        [
            "plads",
            "id",
            "navn",
            "kommune",
            "prioritet",
            "liste",
            "kriterier_opfyldt",
            "andel_uden_for_arbejdsmarked_pct",
            "ansoegt_aarligt_kr",
            "andel_pct",
            "tildelt_kr",
            "fordeling",
            "begrundelser",
            "over_naeste",
        ]
    )
    for place, item in enumerate(ranked, start=1):
        row = [
            place,
            item.case["id"],
            item.case["navn"],
            item.case.get("kommune", ""),
            item.tier or "",
            item.status or ("" if item.status_known else UNKNOWN),
            item.criteria,
            "" if item.labour is None else item.labour,
            "" if item.yearly_kr is None else item.yearly_kr,
            item.share_pct,
            item.granted_kr,
            item.state,
            " | ".join(item.reasons),
            item.above_next,
        ]
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def to_json(ranked: list[Ranked], round_info: dict) -> str:
    areas = []
    for place, item in enumerate(ranked, start=1):
        areas.append(
            {
                "plads": place,
                "id": item.case["id"],
                "navn": item.case["navn"],
                "kommune": item.case.get("kommune"),
                "prioritet": item.tier,
                "prioritet_navn": item.tier_name,
                "afgoerelse": item.decision_result,
                "liste": item.status,
                "kriterier_opfyldt": item.criteria,
                "andel_uden_for_arbejdsmarked_pct": item.labour,
                "ansoegt_aarligt_kr": item.yearly_kr,
                "andel_pct": item.share_pct,
                "tildelt_kr": item.granted_kr,
                "fordeling": item.state,
                "begrundelser": item.reasons,
                "over_naeste": item.above_next or None,
            }
        )
    return json.dumps({"runde": round_info, "omraader": areas}, ensure_ascii=False, indent=1) + "\n"


FORMATS = {"tekst": text, "markdown": markdown, "csv": to_csv, "json": to_json}
