"""Datasette's own `.csv` with labels, as the table page shows them: with `_labels=on` (or
`_label=<column>`) a `<column>_label` column follows each column of a vocabulary (countries,
service areas, methods, a publication's language, …), as Datasette writes one after each foreign
key. The labels are the page's (evidence.site.labels: English, as Datasette's pages are); a list's
labels are joined with ", ". Without `_labels` the file keeps the codes alone, as before.

Datasette writes its CSV itself (no renderer, no cell hook), so this layer, under the provenance
layer (evidence.site.provenance), reads its whole answer and writes it again with the columns
added; an answer it does not change (no such column, an error, `_trace`) is passed on as it came.
"""

from __future__ import annotations

import csv
import io
import urllib.parse

from datasette.utils import tilde_decode
from datasette.utils.asgi import Request

from evidence.export.files import keep_parameters
from evidence.site import labels
from evidence.site.provenance import match_path, run_whole

CSV_TYPES = (b"text/plain", b"text/csv")


def asks_labels(request) -> bool:
    args = request.args
    return "_label" in args or (args.get("_labels") or "").lower() in ("on", "true", "1")


def labelled_csv(app, datasette):
    """ASGI: `app` (the site) with a label column beside each vocabulary column of its `.csv`
    answers that ask for labels."""

    async def wrapped(scope, receive, send):
        match = match_path(scope)
        if not match or match[3] != "csv" or match[1] not in datasette.databases:
            return await app(scope, receive, send)
        request = Request(scope, receive)
        if not asks_labels(request):
            return await app(scope, receive, send)
        headerless = request.args.get("_header") == "off"  # the header names the columns
        if headerless:
            query = scope.get("query_string", b"").decode("latin-1")
            kept = keep_parameters(query, lambda k: k != "_header")
            scope = {**scope, "query_string": kept.encode("latin-1")}
        status, headers, body = await run_whole(app, scope, receive)
        kind = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
        if status == 200 and body.strip() and kind.startswith(CSV_TYPES):
            known = await labels.labels(datasette.get_database(match[1]))
            table = tilde_decode(urllib.parse.unquote(match[2])) if match[2] else None
            body = relabel(body, known, table, request.args, headerless)
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return wrapped


def relabel(body: bytes, known: dict, table: str | None, args, headerless: bool) -> bytes:
    """The CSV `body` with a `<column>_label` column after each column to label (its header row
    dropped again when the request asked for none)."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    header = rows[0]
    wanted = labels.labelled_columns(known, table, header, args)
    at = {i for i, c in enumerate(header) if c in wanted}
    if not at and not headerless:
        return body
    out = io.StringIO()
    writer = csv.writer(out)  # Datasette's own dialect: "," and CRLF, quoted as needed
    for n, row in enumerate(rows[1:] if headerless else rows):
        cells: list[str] = []
        for i, value in enumerate(row):
            cells.append(value)
            if i in at:
                text = labels.label_text(known, table, header[i], value)
                cells.append(f"{value}_label" if n == 0 and not headerless else text or "")
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")
