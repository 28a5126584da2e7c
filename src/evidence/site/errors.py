"""Datasette's errors, cheap and in one log line.

Datasette's own handler (datasette.handle_exception) prints every error, a 404 included, as a
`rich` traceback with the local variables of every frame when `rich` is importable (it is, in a
development environment: a dependency of schemathesis): ~0.4 s of the event loop the API shares,
and a screenful of log per mistyped URL. It also answers 500 for the user's own mistakes that
Datasette raises as a plain DatasetteError (`?_sort=nosuchcol`) or lets through (an
OverflowError from a filter value beyond SQLite's integers, a `_where` holding a second
statement: `?_where=ref=1; drop table x`). This handler replaces it (the
plugin's `startup` unregisters the default): the same pages and JSON, 400 for a bad request,
and one log line per error.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import traceback

from datasette.utils import add_cors_headers
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

from evidence.site.params import PageError

log = logging.getLogger("evidence.site")
DEFAULT_HANDLER = "datasette.handle_exception"
# sqlite3's ProgrammingError for SQL the user wrote (`_where`, a filter value); its others (a
# closed connection, a thread) stay the server's fault
USER_SQL = ("one statement at a time", "Incorrect number of bindings", "Error binding parameter")


def replace_default_handler() -> None:
    """Take Datasette's rich-printing handler out of the plugin manager (idempotent)."""
    from datasette.plugins import pm

    if pm.has_plugin(DEFAULT_HANDLER):
        pm.unregister(name=DEFAULT_HANDLER)


def status_and_message(exception: Exception) -> tuple[int, str, dict, str | None]:
    """(status, message, extra JSON fields, title) of an exception Datasette raised."""
    if isinstance(exception, Base400):
        return exception.status, str(exception.args[0]), {}, None
    if isinstance(exception, DatasetteError):
        # Datasette raises its users' mistakes (an unknown sort column, a bad _next) with its
        # default status 500; a DatasetteError is never a fault of the server.
        status = 400 if exception.status == 500 else exception.status
        message = Markup(exception.message) if exception.message_is_html else exception.message
        return status, message, dict(exception.error_dict), exception.title
    if isinstance(exception, json.JSONDecodeError):
        # a JSON-valued parameter (`?_through=`) that is not JSON: Datasette decodes it unguarded
        return 400, f"A parameter is not valid JSON: {exception}", {}, None
    if isinstance(exception, OverflowError):
        # a number in the address beyond SQLite's integers (`?ref__gt=1e23` written out): the
        # filter binds it unchecked
        return 400, "A number in the address is too large: at most 9223372036854775807.", {}, None
    if isinstance(exception, NotADirectoryError):
        # more address after a static file (/-/static/app.css/x): Datasette's asgi_static looks
        # for it inside the file
        return 404, "Not found: there is no file at this address.", {}, None
    if isinstance(exception, sqlite3.ProgrammingError | sqlite3.Warning) and any(
        text in str(exception) for text in USER_SQL
    ):
        # `_where` is SQL the user writes into Datasette's own query
        hint = "A _where holds one condition, with no ';' outside quotes."
        return 400, f"Invalid SQL: {exception} {hint}", {}, "Invalid SQL"
    return 500, "Internal error; the request was logged.", {}, None


def one_line(request, status: int, exception: Exception) -> str:
    where = ""
    if status >= 500 and exception.__traceback__ is not None:
        frame = traceback.extract_tb(exception.__traceback__)[-1]
        where = f" at {frame.filename}:{frame.lineno}"
    text = " ".join(str(exception).split())[:300]
    return f"{request.method} {request.path} -> {status} {type(exception).__name__}: {text}{where}"


def error_response(datasette, request, exception):
    async def inner():
        if isinstance(exception, PageError):  # raised in Datasette's views: our page
            from evidence.site.pages import error_page

            log.info(one_line(request, exception.status, exception))
            return await error_page(datasette, request, exception)
        status, message, info, title = status_and_message(exception)
        (log.error if status >= 500 else log.info)(one_line(request, status, exception))
        info.update({"ok": False, "error": message, "status": status, "title": title})
        headers: dict[str, str] = {}
        if datasette.cors:
            add_cors_headers(headers)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        context = dict(
            info,
            urls=datasette.urls,
            app_css_hash=datasette.app_css_hash(),
            menu_links=lambda: [],
        )
        return Response.html(await template.render_async(context), status=status, headers=headers)

    return inner
