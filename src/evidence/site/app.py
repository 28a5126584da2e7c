"""The Datasette site over build/evidence.db: one configured instance for serve.py and the tests.

`datasette_app(db_path)` returns Datasette with the database opened immutable (read-only by
construction, so `allow_sql` stays on), the metadata of datasette_metadata.yml with every
table, view and column description merged in from the database's `data_dictionary`, the
templates/ and static/ directories, and the settings below. The plugin
(evidence.site.plugin) is registered through the package's `datasette` entry point.

    uv run evidence serve --datasette-port 8001      # the site also alone, at the root of :8001
    uv run evidence serve --write-metadata build/metadata.json
    # then, equivalently: datasette serve -i build/evidence.db -m build/metadata.json \\
    #   --template-dir templates --static static:static --setting sql_time_limit_ms 1000 ...
"""

from __future__ import annotations

import copy
import html
import re
import sqlite3
from pathlib import Path

import yaml
from datasette.app import Datasette
from datasette.url_builder import Urls
from datasette.utils import PrefixedUrlString

from evidence.settings import ROOT, public_url, settings
from evidence.site.rebuilds import follow_rebuilds

PUBLIC_MOUNT = "/browse/"  # where the site answers under the configured public URL
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
SETTINGS = {
    "sql_time_limit_ms": 1000,
    "default_page_size": 50,
    "max_returned_rows": 2000,
    "facet_time_limit_ms": 500,
    "suggest_facets": False,  # every table has curated default facets; suggestions cost ~1 s on the gap maps
    "allow_download": True,
    "default_allow_sql": True,  # arbitrary SQL stays on: the database is opened immutable
}


ATTRIBUTION = ("source", "source_url", "license", "license_url")


def dictionary(db_path: Path) -> dict[str, dict]:
    """table → {'description', 'columns': {column: description}} from the database's data_dictionary."""
    conn = sqlite3.connect(f"file:{Path(db_path)}?mode=ro&immutable=1", uri=True)
    try:
        rows = conn.execute(
            "select table_name, column_name, description from data_dictionary"
        ).fetchall()
    finally:
        conn.close()
    out: dict[str, dict] = {}
    for table, column, description in rows:
        entry = out.setdefault(table, {"columns": {}})
        if column:
            entry["columns"][column] = description
        else:
            entry["description"] = description
    return out


def site_metadata(db_path: Path, metadata_path: Path | None = None, base_url: str = "/") -> dict:
    """datasette_metadata.yml, keyed by the database's name, with every description merged in."""
    db_path = Path(db_path)
    raw = yaml.safe_load(Path(metadata_path or settings.metadata).read_text(encoding="utf-8"))
    meta = copy.deepcopy(raw)
    if str(meta.get("about_url", "")).startswith("/"):
        meta["about_url"] = base_url.rstrip("/") + meta["about_url"]
    name = db_path.stem
    db_meta = meta.setdefault("databases", {}).pop("evidence", {})
    tables = db_meta.setdefault("tables", {})
    for table, described in dictionary(db_path).items():
        entry = tables.setdefault(table, {})
        entry["description"] = described.get("description", "")
        entry["columns"] = {**described["columns"], **entry.get("columns", {})}
    for entry in [*tables.values(), *db_meta.get("queries", {}).values()]:
        with_code_html(entry)
    for query in db_meta.get("queries", {}).values():
        # Datasette lets a table inherit the instance's licence and source, but not a canned
        # query: say on every query page whose words it quotes (VIVE asks for clear attribution).
        for key in ATTRIBUTION:
            if key in meta:
                query.setdefault(key, meta[key])
    if name != "evidence":
        _rename_dashboard_db(meta, name)
    meta["databases"][name] = db_meta
    return meta


def with_code_html(entry: dict) -> None:
    """A description that marks code with backticks (`concept`) gets a `description_html`
    (Datasette shows it instead, and would print the backticks of a plain description)."""
    text = entry.get("description") or ""
    if "`" in text and "description_html" not in entry:
        code = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))
        entry["description_html"] = f"<p>{code}</p>"


def _rename_dashboard_db(meta: dict, name: str) -> None:
    for dashboard in meta.get("plugins", {}).get("datasette-dashboards", {}).values():
        for item in [*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()]:
            if item.get("db") == "evidence":
                item["db"] = name


class MountedUrls(Urls):
    """Datasette's URL builder, for a site served under a prefix (base_url) that sees its full
    paths. Datasette writes some links as base_url + the request's path (sort, export, JSON links)
    and others from the request's path alone (facets' toggles, "…" for more facet values, array
    facets): under a mount one kind named the prefix twice (/browse/browse/…, datasette issues
    1519 and 1590) or, with the prefix stripped, the other kind lost it. A path that already
    starts with base_url is taken as prefixed, so both kinds are right."""

    def path(self, path, format=None):
        base_url = self.ds.setting("base_url")
        if base_url != "/" and isinstance(path, str) and path.startswith(base_url):
            path = PrefixedUrlString(path)
        return super().path(path, format=format)


class SiteDatasette(Datasette):
    @property
    def urls(self):
        return MountedUrls(self)


def datasette_app(
    db_path: Path | None = None, base_url: str = "/", public_root: str | None = None
) -> Datasette:
    """The configured site over db_path (default: build/evidence.db). Absolute links name
    `public_root` (default: the configured public URL's /browse/), whatever Host a request names."""
    db_path = Path(db_path or settings.db_path)
    if not db_path.exists():
        raise FileNotFoundError(
            f"{db_path} does not exist; run `evidence build` (or `make build`) first"
        )
    ds = SiteDatasette(
        immutables=[str(db_path)],
        metadata=site_metadata(db_path, base_url=base_url),
        template_dir=str(TEMPLATES),
        static_mounts=[("static", str(STATIC))],
        settings={**SETTINGS, "base_url": base_url},
    )
    ds.absolute_url = public_absolute_url(base_url, public_root)
    follow_rebuilds(ds)  # each file read through a pool of connections to its current build
    return ds


def public_absolute_url(base_url: str, public_root: str | None = None):
    """Datasette's absolute_url on the public root (default: the configured public URL's
    /browse/), whatever Host a request names: the same links in every answer."""

    def absolute_url(request, path: str) -> str:
        # Mounted under /browse/, Datasette's request.path already holds the mount and it adds
        # its base_url again (/browse/browse/…): strip every copy, then add the public root.
        while base_url != "/" and path.startswith(base_url):
            path = "/" + path[len(base_url) :]
        if public_root is not None:
            return public_root.rstrip("/") + "/" + path.lstrip("/")
        return public_url(PUBLIC_MOUNT + path.lstrip("/"))

    return absolute_url
