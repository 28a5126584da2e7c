"""The site's spreadsheet exports (`.excelcsv`, `.xlsx`), written by the API's exporter.

Datasette hands an output renderer its columns and rows (a foreign key with `?_labels=on` as
{'value', 'label'}); this module turns them into the rows evidence.export.files writes, so a row
exported from the site and the same row from the API are the same cells: decimal commas, text
quoted and guarded against formulas, booleans, and a workbook whose provenance sheet is "about".
"""

from __future__ import annotations

import json

from evidence.export.files import About, to_excel_csv_da, to_xlsx


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


def typed(value, kind: str | None):
    """A stored value as the API's models type it: a boolean column's 0/1 as False/True, a
    list column's JSON text as a list."""
    if kind == "boolean" and value in (0, 1):
        return bool(value)
    if kind and kind.startswith("list") and isinstance(value, str) and value.startswith("["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def records(
    columns: list[str], rows, types: dict[str, str] | None = None
) -> tuple[list[str], list[dict]]:
    """Header and rows as dicts, typed by the data dictionary's `types` (column → type)."""
    header, data = flatten(columns, rows)
    types = types or {}
    return header, [
        {h: typed(v, types.get(h)) for h, v in zip(header, row, strict=True)} for row in data
    ]


def excel_csv(columns: list[str], rows, types: dict[str, str] | None = None) -> bytes:
    """The Danish-Excel CSV of Datasette's rows (evidence.export.files.to_excel_csv_da)."""
    header, data = records(columns, rows, types)
    return to_excel_csv_da(data, header)


def xlsx_workbook(
    columns: list[str], rows, about: About, types: dict[str, str] | None = None
) -> bytes:
    """The workbook of Datasette's rows: the rows, and the sheet "about" (evidence.export.files.to_xlsx)."""
    header, data = records(columns, rows, types)
    about.n_rows = len(data)
    return to_xlsx(data, header, about)
