"""Exports for spreadsheets: an .xlsx workbook and CSV as Danish Excel reads it.

Danish Excel opens a CSV by double-click only when it is UTF-8 with a byte-order mark (else
æ, ø, å break), separated by `;` (the comma is the decimal sign) and with CRLF line ends;
numbers need a decimal comma. A cell that starts with = + - or @ would be read as a formula,
so it gets a leading apostrophe (OWASP's advice against CSV injection); in the workbook such
cells are typed as text instead.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@")
MAX_WIDTH = 60


def _split(value):
    """(value, label) of a cell; Datasette gives {'value', 'label'} for a foreign key with ?_labels=on."""
    if isinstance(value, dict) and "value" in value:
        return value["value"], value.get("label")
    return value, None


def flatten(columns: list[str], rows) -> tuple[list[str], list[list]]:
    """Header and rows, with a `<column> (label)` column after each foreign key that has labels."""
    rows = [list(r) for r in rows]
    labelled = {i for r in rows for i, v in enumerate(r) if isinstance(v, dict) and "value" in v}
    header: list[str] = []
    out: list[list] = [[] for _ in rows]
    for i, name in enumerate(columns):
        header.append(name)
        if i in labelled:
            header.append(f"{name} (label)")
        for r, row in zip(out, rows, strict=True):
            value, label = _split(row[i])
            r.append(value)
            if i in labelled:
                r.append(label)
    return header, out


def _excel_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    text = str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def excel_csv(columns: list[str], rows) -> bytes:
    """CSV for Danish Excel: UTF-8 with BOM, ';', CRLF, decimal commas."""
    header, data = flatten(columns, rows)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows([_excel_text(v) for v in row] for row in data)
    return buf.getvalue().encode("utf-8-sig")


def _clean(value):
    """A cell value openpyxl accepts: control characters (illegal in XLSX) removed."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_workbook(name: str, columns: list[str], rows, provenance: list[tuple[str, str]]) -> bytes:
    """A workbook: sheet `name` with the rows (bold, frozen header), sheet 'kilde' with provenance."""
    header, data = flatten(columns, rows)
    wb = Workbook()
    ws = wb.active
    ws.title = name[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in header]
    for row in data:
        ws.append([_clean(v) for v in row])
        for i, v in enumerate(row):
            widths[i] = max(widths[i], min(MAX_WIDTH, len(str(v)) if v is not None else 0))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = TYPE_STRING
    ws.freeze_panes = "A2"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(8, w + 2)
    source = wb.create_sheet("kilde")
    source.append(["key", "value"])
    for key, value in provenance:
        source.append([_clean(key), _clean(value)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
