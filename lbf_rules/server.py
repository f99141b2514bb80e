"""`lbf-rules serve`: the rules as an HTTP service for case systems, on Starlette and uvicorn.

The work itself is in lbf_rules/api.py; this module only wires it to ASGI: routing, reading the
body within its size and time limits, evaluation in a worker thread (so one long request cannot
stall the others or outlive its time limit unanswered) and every error as application/problem+json.
Starlette was chosen over FastAPI by measurement (docs/ydelse.md): same throughput, less start-up
time and memory, and no second schema language beside the project's JSON Schemas.

The rules are loaded once at start; a changed rule set needs a restart, or `POST /v1/genindlaes`
when the server was started with `--genindlaesning` (off by default).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from .api import BATCH_RESPONSE_TYPE, BATCH_TYPES, CASE_TYPES, QUERY, Limits, Problem, Service, media_type, query, too_large
from .errors import InputError
from .openapi import document
from .paths import package_version

log = logging.getLogger("lbf_rules.server")
JSON = "application/json"
PROBLEM = "application/problem+json"
BATCH_CHUNK = 64  # cases evaluated per hand-over to the worker thread


def _json(data: dict, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n", status, media_type=JSON)


def _problem(problem: Problem, request: Request) -> Response:
    return Response(problem.json_bytes(request.url.path), problem.status, media_type=PROBLEM)


class Phase:
    """Where a request is, so that running out of time can be answered with the right status."""

    def __init__(self) -> None:
        self.name = "body"


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it is longer than `limit` (never read whole first)."""
    length = request.headers.get("content-length")
    if length is not None and not length.isdigit():
        raise Problem(400, "ugyldig-anmodning", "Ugyldig Content-Length", "Content-Length skal være et helt tal", field="Content-Length")
    if length is not None and int(length) > limit:
        raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


class _Endpoints:
    """The service's endpoints around one loaded rule set (replaced only by an explicit reload)."""

    def __init__(self, service: Service, limits: Limits, reload: bool):
        self.service, self.limits = service, limits
        self.openapi = json.dumps(document(service.schema_files, package_version(), reload), ensure_ascii=False).encode("utf-8")

    def bounded(self, handler: Callable[[Request, Phase], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        """The handler under the per-request time limit, its problems answered as problem+json."""
        seconds = self.limits.seconds

        async def endpoint(request: Request) -> Response:
            phase = Phase()
            try:
                async with asyncio.timeout(seconds):
                    return await handler(request, phase)
            except TimeoutError:
                if phase.name == "body":
                    problem = Problem(
                        408, "tidsgraense", "Indholdet kom ikke i tide", f"Indholdet blev ikke modtaget inden for {seconds:g} s"
                    )
                else:
                    problem = Problem(
                        503, "tidsgraense", "Tidsgrænsen er overskredet", f"Vurderingen blev ikke færdig inden for {seconds:g} s"
                    )
                return _problem(problem, request)
            except Problem as problem:
                return _problem(problem, request)

        return endpoint

    async def vurdering(self, request: Request, phase: Phase) -> Response:
        day, trace = query(request.query_params.multi_items(), QUERY["vurdering"])
        suffix = CASE_TYPES[media_type(request.headers.get("content-type"), CASE_TYPES)]
        raw = await _body(request, self.limits.case_bytes)
        phase.name = "work"
        service = self.service
        return Response(await asyncio.to_thread(service.one, raw, suffix, day, trace), media_type=JSON)

    async def vurderinger(self, request: Request, phase: Phase) -> Response:
        day, trace = query(request.query_params.multi_items(), QUERY["vurdering"])
        media_type(request.headers.get("content-type"), BATCH_TYPES)
        raw = await _body(request, self.limits.batch_bytes)
        phase.name = "work"
        service, limits = self.service, self.limits
        deadline = time.monotonic() + limits.seconds
        lines = [(number, line) for number, line in enumerate(raw.split(b"\n"), start=1) if line.strip()]
        del raw

        def work(chunk: list[tuple[int, bytes]]) -> bytes:
            return b"".join(service.line(number, line, day, trace, limits) for number, line in chunk)

        async def stream():
            for start in range(0, len(lines), BATCH_CHUNK):
                left = deadline - time.monotonic()
                try:
                    if left <= 0:
                        raise TimeoutError
                    yield await asyncio.wait_for(asyncio.to_thread(work, lines[start : start + BATCH_CHUNK]), left)
                except TimeoutError:
                    detail = f"Tidsgrænsen på {limits.seconds:g} s blev nået efter {start} af {len(lines)} sager; resten er ikke vurderet"
                    yield Problem(503, "tidsgraense", "Tidsgrænsen er overskredet", detail).json_bytes(request.url.path)
                    return

        return StreamingResponse(stream(), media_type=BATCH_RESPONSE_TYPE)

    async def regler(self, request: Request, _phase: Phase) -> Response:
        day, _ = query(request.query_params.multi_items(), QUERY["regler"])
        return _json(self.service.rules(day))

    async def regel(self, request: Request, _phase: Phase) -> Response:
        day, _ = query(request.query_params.multi_items(), QUERY["regler"])
        return _json(self.service.rule(request.path_params["id"], day))

    async def skema(self, request: Request, _phase: Phase) -> Response:
        query(request.query_params.multi_items(), ())
        return Response(self.service.schema(request.path_params["navn"]), media_type="application/schema+json")

    async def sundhed(self, request: Request, _phase: Phase) -> Response:
        return _json(self.service.health())

    async def openapi_json(self, request: Request, _phase: Phase) -> Response:
        return Response(self.openapi, media_type="application/openapi+json" if "openapi" in request.headers.get("accept", "") else JSON)

    async def genindlaes(self, request: Request, phase: Phase) -> Response:
        phase.name = "work"
        try:
            fresh = await asyncio.to_thread(Service, self.service.source)
        except InputError as exc:  # the old rules stay in use
            raise Problem(
                422, "ugyldige-regler", "Reglerne kan ikke indlæses", f"De hidtidige regler er stadig i brug: {exc.oneline()}"
            ) from None
        self.service = fresh
        log.warning("regler genindlæst: revision %s", fresh.ruleset.revision)
        return _json(fresh.health())


async def _http_error(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 405:
        problem = Problem(
            405,
            "ukendt-metode",
            "Metoden er ikke tilladt",
            f"{request.method[:10]} er ikke tilladt for {request.url.path[:100]}; se /openapi.json",
        )
    elif exc.status_code == 404:
        problem = Problem(404, "ukendt-sti", "Stien findes ikke", "Stien findes ikke; se /openapi.json for tjenestens adresser")
    else:
        problem = Problem(exc.status_code, "http-fejl", "Fejl i anmodningen", "Anmodningen kunne ikke behandles")
    response = _problem(problem, request)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _internal(request: Request, exc: Exception) -> Response:
    log.exception("intern fejl ved %s %s", request.method, request.url.path)
    problem = Problem(500, "intern-fejl", "Intern fejl", "Der opstod en intern fejl i lbf-rules; den er skrevet i tjenestens log")
    return _problem(problem, request)


def create_app(service: Service, limits: Limits | None = None, reload: bool = False) -> Starlette:
    """The ASGI application around a loaded rule set (the rules are loaded once, before start)."""
    app = _Endpoints(service, limits or Limits(), reload)
    bounded = app.bounded
    routes = [
        Route("/v1/vurdering", bounded(app.vurdering), methods=["POST"]),
        Route("/v1/vurderinger", bounded(app.vurderinger), methods=["POST"]),
        Route("/v1/regler", bounded(app.regler), methods=["GET"]),
        Route("/v1/regler/{id}", bounded(app.regel), methods=["GET"]),
        Route("/v1/skemaer/{navn}", bounded(app.skema), methods=["GET"]),
        Route("/sundhed", bounded(app.sundhed), methods=["GET"]),
        Route("/openapi.json", bounded(app.openapi_json), methods=["GET"]),
    ]
    if reload:
        routes.append(Route("/v1/genindlaes", bounded(app.genindlaes), methods=["POST"]))
    handlers: dict[Any, Any] = {HTTPException: _http_error, Exception: _internal}
    return Starlette(routes=routes, exception_handlers=handlers)


def run(service: Service, host: str, port: int, limits: Limits, reload: bool, access_log: bool) -> None:
    """Serve until stopped (Ctrl-C, SIGTERM)."""
    import uvicorn

    app = create_app(service, limits, reload)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info" if access_log else "warning",
        access_log=access_log,
        server_header=False,
        timeout_keep_alive=5,
        limit_concurrency=512,
        h11_max_incomplete_event_size=16 * 1024,
    )
