"""Tables as files for people who work in spreadsheets: CSV, Danish-Excel CSV and XLSX.

Every export says what made it: the filter, the dataset version and how to cite the review
(`About`). Where that goes depends on the format:

- **XLSX**: a second sheet, "about", with one row per fact and the meaning of every column.
- **CSV** (both dialects): the file itself holds only the header and the rows. Provenance
  written into the file (leading "# …" lines, or rows after a blank line at the end) is read as
  data by Python's csv module, pandas, R and Excel alike: Excel puts the comment lines in column A
  and the real header several rows down, and a reader that takes the first line as the header
  gets the comment as column names. So a CSV carries its provenance beside it instead: in its
  file name (`evidens-studies-country-DK-8e9eb55c.csv`: resource, filter, dataset version), in
  response headers (`X-Evidence-Dataset-Version`, `X-Evidence-Filter`, `X-Evidence-Citation`,
  and a `Link: <…&about=1>; rel="describedby"`), and as a companion file: the same URL with
  `about=1` returns the About as a two-column CSV (key, value) in the same dialect.

Danish Excel opens a `.csv` by double-click only when it is UTF-8 with a byte-order mark, split
by semicolons, with CRLF line ends and decimal commas; `csv-excel-da` writes exactly that (whole
numbers stay as they are, so ref 924 and year 2021 are never "924,0"). Lists in cells are joined
with ", "; a BLOB (bytes, from a `?sql=` query) is written as SQLite's hex literal, `x'ff00'`, in
every format (openpyxl failed on bytes, and the CSV wrote Python's `b'\\xff'`).

One exporter for both doors: the API's `format=csv|csv-excel-da|xlsx` and the site's `.excelcsv`
and `.xlsx` (evidence.site.plugin, through evidence.export.excel) write the same cells.

- **Text stays text.** A spreadsheet re-types what looks like a number or a date: LibreOffice's
  Danish import reads the citation "(507)" as −507 and "1.234" as 1234. The Danish CSV quotes
  every text cell and leaves numbers and ISO dates bare, so an import with "Format quoted field
  as text" (LibreOffice's CSV option, `--infilter` token 7) gives every text back as written,
  every number as a number, every date as a date (tests/test_clients.py checks it with
  LibreOffice itself). In the workbook every text cell is typed as text.
- **No formulas** (OWASP, CSV injection): a text cell that starts with `=`, `+`, `-`, `@`, a tab
  or a carriage return and is not a number gets a leading apostrophe in both CSVs; in the
  workbook it is a text cell, shown exactly as written.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, unquote_plus

FORMATS = ("json", "csv", "csv-excel-da", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "csv-excel-da": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LIST_JOIN = ", "


HEADER_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "%")  # printable ASCII


@dataclass
class About:
    """What made an export, and how to cite what it comes from."""

    resource: str
    url: str
    filters: dict
    dataset_version: str
    built_at: str = ""
    citation_da: str = ""
    citation_en: str = ""
    licence: str = ""
    n_rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # column → description
    # what the API read from a question (/api/ask: its concepts and facets), kept apart from the
    # filter the user gave, so that the filter reads as the request it was
    understood: dict = field(default_factory=dict)
    # the paging a user asked for (the site's `_size=5`, `_next=…`): the file is one page
    page: dict = field(default_factory=dict)

    @classmethod
    def of_build(
        cls, meta: dict, resource: str, url: str, filters: dict, columns: dict | None = None
    ) -> About:
        """The About of an export from the build's `meta` table: dataset version, build time, how
        to cite the review and its licence."""
        return cls(
            resource=resource,
            url=url,
            filters=filters,
            dataset_version=meta.get("dataset_version", "unknown"),
            built_at=meta.get("built_at", ""),
            citation_da=meta.get("review_citation", ""),
            citation_en=meta.get("review_citation_en", ""),
            licence=meta.get("review_licence", ""),
            columns=columns or {},
        )

    def filter_text(self) -> str:
        """'country=DK', 'none (all rows)', or for one page 'none; one page only (_size=5)'."""
        text = ", ".join(f"{k}={v}" for k, v in self.filters.items())
        if self.page:
            paged = ", ".join(f"{k}={v}" for k, v in self.page.items())
            return f"{text or 'none'}; one page only ({paged}), not all rows"
        return text or "none (all rows)"

    def headers(self) -> dict[str, str]:
        """The provenance headers every export sends (API, site, reference files): the dataset
        version, the filter and how to cite the review. A header holds printable ASCII only: the
        filter is written as the file writes it ("none (all rows)", `countries__contains="DK"`),
        with only what a header cannot hold (other characters) and "%" itself percent-encoded,
        so that percent-decoding always gives the file's text back; the citation is RFC 8187
        (`UTF-8''…`)."""
        return {
            "X-Evidence-Dataset-Version": self.dataset_version,
            "X-Evidence-Filter": quote(self.filter_text(), safe=HEADER_SAFE),
            "X-Evidence-Citation": "UTF-8''" + quote(self.citation_da, safe=""),
        }

    def rows(self) -> list[tuple[str, str]]:
        facts = [
            ("resource", self.resource),
            ("filter", self.filter_text()),
            *[
                (f"understood {k}", LIST_JOIN.join(v) if isinstance(v, list) else str(v))
                for k, v in self.understood.items()
            ],
            ("rows", str(self.n_rows)),
            ("url", self.url),
            ("dataset_version", self.dataset_version),
            ("built_at", self.built_at),
            ("cite_review_da", self.citation_da),
            ("cite_review_en", self.citation_en),
            ("licence", self.licence),
            (
                "made_by",
                "evidens, an open evidence base for VIVE's 2024 review (data quoted from VIVE with attribution)",
            ),
        ]
        return facts + [(f"column {name}", text) for name, text in self.columns.items()]

    def filename(self, fmt: str, suffix: str = "") -> str:
        """evidens-<resource>-<filter>-<version>[-excel-da][suffix].csv|xlsx: the Danish-Excel
        CSV is named apart from the plain one, so that both can sit in one folder."""
        kind = "-excel-da" if fmt == "csv-excel-da" else ""
        ext = "xlsx" if fmt == "xlsx" else "csv"
        parts = {**self.filters, **{f"page{k}": v for k, v in self.page.items()}}
        return file_name(
            ["evidens", self.resource], parts, self.dataset_version, kind + suffix, ext
        )


def download_headers(about: About, name: str, companion: bool) -> dict[str, str]:
    """The headers of every export file, whichever door sends it (the API's files, the reference
    files, the site's .csv, .excelcsv and .xlsx): `Content-Disposition` with the file's `name`
    (ASCII by construction), the About's provenance, `Referrer-Policy: no-referrer` (as
    Datasette sends), and, for a file whose About is not inside it (`companion`: a CSV, a
    reference file), `Link: <its url with about=1>; rel="describedby"`. The servers add
    Cache-Control (the API's ETag middleware; Datasette's TTL, evidence.site.provenance)."""
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        **about.headers(),
        "Referrer-Policy": "no-referrer",
    }
    if companion:
        url = quote(about.url, safe=":/?&=%#+,;@")  # a header holds ASCII only
        headers["Link"] = f'<{url}{"&" if "?" in url else "?"}about=1>; rel="describedby"'
    return headers


def keep_parameters(query: str, keep: Callable[[str], bool]) -> str:
    """The raw query string with only the parameters whose (decoded) name `keep` accepts, the
    rest exactly as sent (order, percent-encoding): `about` leaves a data file's URL this way."""
    pairs = (p for p in query.split("&") if p)
    return "&".join(p for p in pairs if keep(unquote_plus(p.split("=", 1)[0])))


def file_name(names: list[str], filters: dict, version: str, suffix: str, ext: str) -> str:
    """<names>-<filter>-<version><suffix>.<ext>, ASCII: the one rule for every export's name."""
    parts = [*names, *(f"{k}-{v}" for k, v in filters.items()), version[:8]]
    return "-".join(_slug(p) for p in parts if p) + f"{suffix}.{ext}"


FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ß": "ss"})


def _slug(text) -> str:
    """ASCII letters, digits, dot and underscore; runs of anything else become one '-'."""
    folded = (
        unicodedata.normalize("NFKD", str(text).translate(FOLD)).encode("ascii", "ignore").decode()
    )
    out = "".join(c if c.isalnum() or c in "._" else "-" for c in folded)
    return "-".join(p for p in out.split("-") if p)[:60]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def guard(text: str) -> str:
    """Text a spreadsheet would run as a formula, with OWASP's leading apostrophe; else as is."""
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def cell(value, decimal_comma: bool = False) -> str:
    """A value as text: lists joined with ', ', booleans true/false, None empty, bytes (a BLOB
    of a `?sql=` query) as SQLite's literal in hex (`x'ff00'`)."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return f"x'{bytes(value).hex()}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_JOIN.join(cell(v, decimal_comma) for v in value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def table(rows: list[dict], columns: list[str], decimal_comma: bool = False) -> list[list[str]]:
    """Header and rows as text, formula-like text guarded."""
    return [list(columns)] + [[_guarded(r.get(c), decimal_comma) for c in columns] for r in rows]


def _guarded(value, decimal_comma: bool = False) -> str:
    text = cell(value, decimal_comma)
    return text if isinstance(value, int | float) else guard(text)


def to_csv(rows: list[dict], columns: list[str]) -> bytes:
    """RFC 4180 CSV: UTF-8, comma, CRLF, header first."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(table(rows, columns))
    return buf.getvalue().encode("utf-8")


def _da_field(value) -> str:
    """One field of the Danish CSV: numbers (decimal comma) and ISO dates bare, text quoted."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell(value, decimal_comma=True)
    text = _guarded(value, decimal_comma=True)
    if isinstance(value, str) and ISO_DATE.fullmatch(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def to_excel_csv_da(rows: list[dict], columns: list[str]) -> bytes:
    """CSV for Danish Excel: UTF-8 with BOM, semicolon, CRLF, decimal comma, text quoted."""
    lines = [";".join(_da_field(c) for c in columns)]
    lines += [";".join(_da_field(r.get(c)) for c in columns) for r in rows]
    return "\ufeff".encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def about_csv(about: About, excel_da: bool = False) -> bytes:
    """The About as a key,value CSV (the companion of a CSV export)."""
    rows = [{"key": k, "value": v} for k, v in about.rows()]
    return to_excel_csv_da(rows, ["key", "value"]) if excel_da else to_csv(rows, ["key", "value"])


def to_xlsx(rows: list[dict], columns: list[str], about: About) -> bytes:
    """A workbook: the rows on a sheet named after the resource, the About on a sheet "about"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = about.resource[:31]
    ws.append([_xlsx_value(c) for c in columns])
    for r in rows:
        ws.append([_xlsx_value(r.get(c)) for c in columns])
    _as_text(ws)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    info = wb.create_sheet("about")
    info.append(["key", "value"])
    for k, v in about.rows():
        info.append([_xlsx_value(k), _xlsx_value(v)])
    _as_text(info)
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 120
    stamp = _timestamp(about.built_at)
    wb.properties.created = wb.properties.modified = stamp  # same bytes for the same build
    wb.properties.title = f"evidens: {about.resource}"
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue(), stamp)


def _stable_zip(data: bytes, stamp: datetime) -> bytes:
    """The workbook with every zip entry dated `stamp`: the same bytes for the same build and URL
    (openpyxl dates entries with the current time, which would break the ETag's promise)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            body = src.read(info.filename)
            if (
                info.filename == "docProps/core.xml"
            ):  # openpyxl stamps `modified` with the time of saving
                when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when, body)
            dst.writestr(entry, body)
    return out.getvalue()


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what a worksheet cannot hold


def _xlsx_value(value):
    if isinstance(value, list | tuple | bytes | bytearray | memoryview):
        value = cell(value)
    return CONTROL.sub("\ufffd", value) if isinstance(value, str) else value


def _as_text(ws) -> None:
    """Every text cell a text cell: openpyxl makes a string that starts with '=' a formula."""
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                c.data_type = "s"


def _timestamp(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return datetime(2024, 1, 1)  # the review's year, for a database without built_at


def render(fmt: str, rows: list[dict], columns: list[str], about: About) -> bytes:
    """The export of rows in one of the file formats (not json)."""
    about.n_rows = len(rows)
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "csv-excel-da":
        return to_excel_csv_da(rows, columns)
    if fmt == "xlsx":
        return to_xlsx(rows, columns, about)
    raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
