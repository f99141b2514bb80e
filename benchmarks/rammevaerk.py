"""Starlette or FastAPI under lbf-rules serve: the measurement the choice was made by (docs/ydelse.md).

(No `from __future__ import annotations` here: FastAPI reads the route annotations at run time.)

    python benchmarks/rammevaerk.py [--antal 5000]

Needs FastAPI installed beside the project (`pip install fastapi`; not a dependency of lbf-rules).
Both apps run on the same uvicorn with the same rule set and the same lbf_rules.api.Service; the
Starlette one is the real `lbf_rules.server.create_app`, the FastAPI one has the two measured
routes written the FastAPI way. Prints import time, memory and load figures for each.
"""


import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import HOST, ROOT, free_port, measure  # noqa: E402


def fastapi_app():
    from fastapi import FastAPI, Request
    from fastapi.responses import Response

    from lbf_rules.api import Service, media_type, query, CASE_TYPES, QUERY
    from lbf_rules.paths import OPTION, RuleSource

    service = Service(RuleSource(ROOT / "rules", OPTION))
    app = FastAPI()

    @app.post("/v1/vurdering")
    async def vurdering(request: Request) -> Response:
        import asyncio

        day, trace = query(request.query_params.multi_items(), QUERY["vurdering"])
        suffix = CASE_TYPES[media_type(request.headers.get("content-type"), CASE_TYPES)]
        body = await request.body()
        return Response(await asyncio.to_thread(service.one, body, suffix, day, trace), media_type="application/json")

    @app.get("/sundhed")
    async def sundhed() -> dict:
        return service.health()

    return app


def starlette_app():
    from lbf_rules.api import Service
    from lbf_rules.paths import OPTION, RuleSource
    from lbf_rules.server import create_app

    return create_app(Service(RuleSource(ROOT / "rules", OPTION)))


def serve(framework: str, port: int) -> None:
    import uvicorn

    app = fastapi_app() if framework == "fastapi" else starlette_app()
    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = sorted(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(5))
    return runs[2]


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--antal", type=int, default=5000)
    args = parser.parse_args()
    for framework, module in (("starlette", "starlette.applications"), ("fastapi", "fastapi")):
        out = {"rammevaerk": framework, "import_s": round(import_seconds(module), 3)}
        for path in ("/v1/vurdering", "/sundhed"):
            port = free_port()
            command = [sys.executable, __file__, "serve", framework, str(port)]
            m = measure(command, port, path, args.antal, 32, 300)
            out[path] = {k: round(v, 1) if isinstance(v, float) else v for k, v in m.items() if k not in ("sager", "forbindelser")}
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
