"""Datasette's own CSV (`/<db>/<table>.csv`, the first download link of a table page) with the
provenance every other export carries: the `X-Evidence-Dataset-Version` and `X-Evidence-Filter`
headers, and, for a download (`_dl=1`), the file name of the one naming rule
(`evidens-studies-countries__contains-DK-<version>.csv`, evidence.export.files.file_name).

The body stays Datasette's: plain UTF-8 without a byte-order mark, for pandas and R (the site's
`.excelcsv` and `.xlsx` are the spreadsheet files). A newcomer found this CSV named `studies.csv`
with nothing saying which filter and data version it held.
"""

from __future__ import annotations

from datasette.utils.asgi import Request


def csv_provenance(app, datasette, about_of):
    """ASGI: `app` with the provenance headers on its `.csv` answers; `about_of(datasette,
    database, request, name)` gives the export's About (evidence.site.plugin._about)."""

    async def wrapped(scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        root = scope.get("root_path", "")  # mounted at /browse: the path Datasette sees
        path = path[len(root) :] if root and path.startswith(root) else path
        parts = path.strip("/").split("/")
        if not path.endswith(".csv") or len(parts) != 2:
            return await app(scope, receive, send)
        database, name = parts[0], parts[1][: -len(".csv")]
        request = Request(scope, receive)
        about, _ = await about_of(datasette, database, request, name)

        async def send_with_provenance(message):
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k != b"content-disposition"
                ]
                headers += [(k.lower().encode(), v.encode()) for k, v in about.headers().items()]
                if request.args.get("_dl"):
                    disposition = f'attachment; filename="{about.filename("csv")}"'
                    headers.append((b"content-disposition", disposition.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_provenance)

    return wrapped
