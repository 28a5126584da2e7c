"""Turn a list the API serves into the format asked for (json, csv, csv-excel-da, xlsx).

What goes into a file and where its provenance goes is decided in evidence.export.files; this module
only wraps it in an HTTP response: file name, media type and provenance headers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi.responses import Response

from evidence.export.files import (
    MEDIA_TYPES,
    About,
    about_csv,
    download_headers,
    keep_parameters,
    render,
)
from evidence.models import SQLModel
from evidence.read.dictionary import column_docs
from evidence.settings import public_url

from .deps import ExportQuery, ListQuery


@dataclass(frozen=True)
class ListFile:
    """What a list route's file holds: its `resource` name, its columns and their descriptions
    (from the database's data_dictionary for `table`, with `extra` for columns it does not have),
    the model that types its values as the JSON does, and how a row is flattened into cells."""

    resource: str
    columns: list[str]
    table: str | None = None
    extra: dict[str, str] | None = None
    model: type[SQLModel] | None = None
    flatten: Callable[[dict], dict] | None = None


def list_response(
    listing: ListQuery, file: ListFile, page: tuple[list[dict], int], filters: dict | None = None
):
    """What a list route answers: `{data, count}` as JSON, else the rows as a file with provenance.

    `page` is the (rows, count) a `list_*` function returns, `filters` those it was given."""
    rows, count = page
    if listing.export.format == "json":
        return {"data": rows, "count": count}
    docs = file.extra
    if file.table:
        docs = column_docs(listing.conn, file.table, file.columns, file.extra)
    rows = [file.flatten(r) for r in rows] if file.flatten else rows
    return file_response(
        listing.export, rows, file.columns, file.resource, filters or {}, docs, file.model
    )


def about_for(
    export: ExportQuery, resource: str, filters: dict, columns: dict[str, str] | None = None
) -> About:
    """The export's About; its `url` is the data file's (the request without `about`), also
    when the companion is what was asked for."""
    request = export.request
    return About.of_build(
        export.database.meta(),
        resource,
        public_url(request.url.path, keep_parameters(request.url.query, lambda k: k != "about")),
        {k: v for k, v in filters.items() if v not in (None, "", [])},
        columns,
    )


def file_response(
    export: ExportQuery,
    rows: list[dict],
    columns: list[str],
    resource: str,
    filters: dict,
    docs: dict[str, str] | None = None,
    model=None,
    understood: dict | None = None,
) -> Response:
    """The rows (or, with `about`, the provenance) as a downloadable file in the export's format;
    `docs` describes the columns, `model` types the values as the JSON does (is_danish true/false,
    not 1/0)."""
    fmt, about_only, about = export.format, export.about, about_for(export, resource, filters, docs)
    about.understood = understood or {}
    if model is not None:
        rows = [model.model_validate(r).model_dump() for r in rows]
    about.n_rows = len(rows)
    if about_only and fmt in ("csv", "csv-excel-da"):
        body, name = about_csv(about, excel_da=fmt == "csv-excel-da"), about.filename(fmt, "-about")
    else:
        body, name = render(fmt, rows, columns, about), about.filename(fmt)
    headers = download_headers(about, name, companion=fmt != "xlsx" and not about_only)
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)
