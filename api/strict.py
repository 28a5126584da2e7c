"""What the API does with a request before a route sees it: HEAD, strict query strings, one 422.

- `HEAD` answers on every GET route, as GET without the body (link checkers and download tools
  ask HEAD first, and took a 405 for a missing file).
- A query parameter the route does not take, or one given twice, is a 422 that names it: a
  repeated `country=DK&country=SE` used to keep only SE and say nothing.
- Every 422 has one shape, `{"detail": str, "parameter": str | null}`, whether FastAPI's
  validation or the data (an unknown code) refused the request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Request, params
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evidence.models import SQLModel

if TYPE_CHECKING:
    from fastapi._compat import ModelField


class InvalidPublic(SQLModel):
    detail: str
    parameter: str | None = None


INVALID_RESPONSE: dict[int | str, dict[str, Any]] = {
    422: {
        "model": InvalidPublic,
        "description": "A parameter is unknown, repeated, malformed, too long or names an unknown value; "
        "`detail` says what is wrong and `parameter` names it.",
    }
}


class InvalidParameter(ValueError):
    def __init__(self, parameter: str | None, message: str):
        super().__init__(message)
        self.parameter = parameter


def invalid_response(parameter: str | None, message: str) -> JSONResponse:
    return JSONResponse({"detail": message, "parameter": parameter}, status_code=422)


def _route_params(request: Request) -> list[ModelField] | None:
    """The route's parameters, those of its dependencies included (a dataclass taken with
    `Depends()` as much as a function), in the order /openapi.json lists them."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if route is None or dependant is None:
        return None
    found = getattr(route, "evidens_params", None)
    if found is None:
        found = route.evidens_params = get_flat_params(dependant)
    return found


async def strict_query(request: Request) -> None:
    """Refuse query parameters the route does not take, and any given more than once."""
    found = _route_params(request)
    if found is None:
        return
    allowed = {p.alias for p in found if isinstance(p.field_info, params.Query)}
    for name in dict.fromkeys(request.query_params.keys()):
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise InvalidParameter(name, f"unknown parameter {name!r}; this route takes: {known}")
        values = request.query_params.getlist(name)
        if len(values) > 1:
            raise InvalidParameter(
                name,
                f"parameter {name!r} given {len(values)} times ({', '.join(values)[:200]}); "
                "it takes one value: ask once per value",
            )


def validation_message(request: Request, exc: RequestValidationError) -> tuple[str | None, str]:
    """What FastAPI refused, parameter by parameter in the order the route documents them."""
    order = [p.alias for p in _route_params(request) or []]
    named = [(_error_name(error), error) for error in exc.errors()]
    named.sort(key=lambda n: order.index(n[0]) if n[0] in order else len(order))
    first = next((name for name, _ in named if name), None)
    parts = [
        f"{name}: {error.get('msg', 'invalid')}" if name else error.get("msg", "")
        for name, error in named
    ]
    return first, "; ".join(parts) or "invalid request"


def _error_name(error: dict) -> str | None:
    loc = [str(x) for x in error.get("loc", ()) if x not in ("query", "path", "body")]
    return loc[0] if loc else None


class HeadAsGet:
    """HEAD on any route of the API answers as GET would, without the body."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, without_body)
