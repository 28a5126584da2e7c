"""Two plain-ASGI middlewares of the served app (the API with the site under /browse/).

- `PublicRedirects`: a redirect that Starlette writes as an absolute URL (a trailing slash
  dropped, /browse → /browse/) names the request's Host, which anyone can set; it is rewritten to
  the configured public URL (settings.public_url) with the same path and query.
- `BoundedParameters`: the API answers 400 with JSON `detail` to a query string that is too long
  or repeats a parameter too often (the limits of evidence.site.guard, which guards the site).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evidence.settings import public_url
from evidence.site.guard import refusal


class PublicRedirects:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_public(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                headers = MutableHeaders(scope=message)
                location = urlsplit(headers.get("location", ""))
                if location.netloc:
                    headers["location"] = public_url(location.path, location.query)
            await send(message)

        await self.app(scope, receive, send_public)


class BoundedParameters:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("path", "").startswith("/browse"):
            reason = refusal(scope.get("query_string", b""))
            if reason:
                body = json.dumps({"detail": reason}).encode()
                headers = [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ]
                await send({"type": "http.response.start", "status": 400, "headers": headers})
                return await send({"type": "http.response.body", "body": body})
        await self.app(scope, receive, send)
