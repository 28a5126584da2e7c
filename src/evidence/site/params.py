"""Our pages' query parameters, checked as strictly as the API checks its own.

A value the page cannot use (`/map?cols=nope`, `?country=ZZ`, `?lang=xx`), a parameter given twice
that takes one value, or a parameter the page does not know (`?contry=DK`, a typo that would
otherwise show the unfiltered map) raises `PageError` (400), which names the parameter, the value
and what is allowed, in the page's language (evidence.site.pages renders it). The gap map's state
comes back whole: one value for `rows`, `cols`, `op`, `view`, the years and `cell`, a list for each
filter (`country=DK&country=SE`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.site.i18n import LANGS

YEARS = (1900, 2100)
MAP_AXES = {
    "rows": ("concept", "dimension"),
    "cols": ("country", "service_area", "method", "finding_dimension"),
}
MAP_CHOICES = {**MAP_AXES, "op": ("and", "or"), "view": ("bubbles", "numbers")}
MAP_FILTERS = ("country", "service_area", "method", "finding_dimension", "stance")
MAP_SINGLE = ("rows", "cols", "op", "view", "year_from", "year_to", "cell")
MAP_PARAMS = ("lang", *MAP_SINGLE[:2], *MAP_FILTERS, *MAP_SINGLE[2:])
NONE = "not_reported"  # the map's "not reported" column, named as the API and the views name it
OLD_NONE = "_none"  # its former id: an old link is sent to NONE (evidence.site.pages.map_page)


@dataclass
class PageError(Exception):
    """An answer other than the page: `key` names the message in evidence.site.i18n (formatted
    with `values`); `suggestions` are (path, label) links to offer."""

    status: int
    key: str
    values: dict = field(default_factory=dict)
    suggestions: list[tuple[str, str]] = field(default_factory=list)
    both_languages: bool = False


def bad_value(name: str, value: str, allowed: str, both_languages: bool = False) -> PageError:
    return PageError(
        400, "bad_value", {"name": name, "value": value, "allowed": allowed}, [], both_languages
    )


def pairs(request) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(request.query_string, keep_blank_values=True)


def check_params(request, known: tuple[str, ...], single: tuple[str, ...] = ("lang",)) -> None:
    """Unknown parameters, and parameters given more than once that take one value; then `lang`."""
    given = pairs(request)
    for name, value in given:
        if name not in known:
            raise PageError(
                400,
                "unknown_parameter",
                {"name": name, "value": value, "allowed": ", ".join(known)},
            )
    for name in single:
        values = [v for k, v in given if k == name]
        if len(values) > 1:
            raise PageError(400, "repeated", {"name": name, "value": ", ".join(values)})
    lang = request.args.get("lang")
    if lang is not None and lang not in LANGS:
        raise bad_value("lang", lang, ", ".join(LANGS), both_languages=True)


def coded(codes: dict, lang: str) -> str:
    """The allowed codes of a vocabulary with their labels: 'DK (Danmark), SE (Sverige), …'."""
    return ", ".join(f"{code} ({labels[lang]})" for code, labels in codes.items())


def map_state(request, vocab: dict, row_keys: dict[str, set[str]], lang: str) -> dict:
    """The gap map's state from the query string, every value checked (see the module's doc)."""
    check_params(request, MAP_PARAMS, ("lang", *MAP_SINGLE))
    state: dict[str, str | list[str]] = {}
    for name in MAP_SINGLE:
        value = request.args.get(name)
        if value in (None, ""):
            continue
        if name in MAP_CHOICES and value not in MAP_CHOICES[name]:
            raise bad_value(name, value, ", ".join(MAP_CHOICES[name]))
        if name.startswith("year_") and not (
            value.isascii() and value.isdigit() and YEARS[0] <= int(value) <= YEARS[1]
        ):
            raise PageError(
                400, "bad_year", {"name": name, "value": value, "allowed": f"{YEARS[0]}–{YEARS[1]}"}
            )
        state[name] = value
    years = [str(state.get(k, "")) for k in ("year_from", "year_to")]
    if all(years) and int(years[0]) > int(years[1]):
        # as /api/studies (422): a reversed range names no year; the map answered 200, empty
        raise PageError(400, "reversed_years", {"value": years[0], "to": years[1]})
    for name in MAP_FILTERS:
        values = [v for v in request.args.getlist(name) if v != ""]
        for value in values:
            if value not in vocab[name]:
                raise bad_value(name, value, coded(vocab[name], lang))
        if values:
            state[name] = values
    state = {k: state[k] for k in MAP_PARAMS if k in state}  # the order links are written in
    if "cell" in state:
        check_cell(
            str(state["cell"]),
            str(state.get("rows", "concept")),
            str(state.get("cols", "country")),
            vocab,
            row_keys,
        )
    return state


def check_cell(cell: str, rows: str, cols: str, vocab: dict, row_keys: dict[str, set[str]]) -> None:
    row, _, col = cell.partition("~")
    if row not in row_keys[rows] or (col not in vocab[cols] and col != NONE):
        example = f"{sorted(row_keys[rows])[0]}~{next(iter(vocab[cols]))}"
        if rows == "concept" and cols == "country":
            example = "single-contact-person~DK"
        raise PageError(
            400,
            "bad_cell",
            {"name": "cell", "value": cell, "allowed": example, "rows": rows, "cols": cols},
        )
