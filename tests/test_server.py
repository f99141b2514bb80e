"""The HTTP service (`lbf-rules serve`): every endpoint and every error in process, one real server.

In process: Starlette's TestClient against the real application with the real rule set. Over
HTTP: the installed `lbf-rules serve` as a process on a free loopback port.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from lbf_rules.api import Limits, Service
from lbf_rules.cases import expand, read_cases
from lbf_rules.openapi import document
from lbf_rules.paths import OPTION, RuleSource
from lbf_rules.ruleset import revision
from tests.conftest import CASES, ROOT, RULES, console_script, free_port, http_get, wait_until_serving

starlette = pytest.importorskip("starlette", reason="lbf-rules[serve] is not installed")
from starlette.testclient import TestClient  # noqa: E402

from lbf_rules.server import create_app  # noqa: E402

SCHEMAS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (ROOT / "schemas").glob("*.schema.json")}
REGISTRY = Registry().with_resources((name, Resource.from_contents(s)) for name, s in SCHEMAS.items())
AGERVANG = CASES / "reelle" / "agervang-2014.yaml"
YAML = {"Content-Type": "application/yaml"}
JSON = {"Content-Type": "application/json"}
JSONL = {"Content-Type": "application/x-ndjson"}


def valid(data: dict, schema: str, defs: str | None = None) -> None:
    root = SCHEMAS[f"{schema}.schema.json"]
    target = {"$ref": f"{root['$id']}#/$defs/{defs}"} if defs else root
    validator = Draft202012Validator(target, format_checker=FormatChecker(), registry=REGISTRY.with_resources(
        (s["$id"], Resource.from_contents(s)) for s in SCHEMAS.values()))
    errors = list(validator.iter_errors(data))
    assert not errors, errors[0]


def problem(response, status: int, *fragments: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    valid(body, "api", "problem")
    assert body["status"] == status and "Traceback" not in response.text
    for fragment in fragments:
        assert fragment in response.text, response.text
    return body


@pytest.fixture(scope="module")
def service() -> Service:
    return Service(RuleSource(RULES, OPTION))


@pytest.fixture(scope="module")
def client(service):
    with TestClient(create_app(service), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def cli_decisions() -> list[bytes]:
    """`check --format json cases/` as bytes, one line per shipped case, in reading order."""
    done = subprocess.run([console_script(), "check", "--format", "json", "--regler", str(RULES), str(CASES)],
                          capture_output=True, timeout=300, check=True)
    return done.stdout.splitlines(keepends=True)


def shipped_cases() -> list[tuple[Path, dict, int]]:
    out = []
    for path in expand([CASES]):
        items = [i for i in read_cases(path)]
        out += [(path, item.data, len(items)) for item in items]
    return out


# -- decisions -------------------------------------------------------------------------------
def test_every_shipped_case_gets_the_bytes_check_prints(client, cli_decisions):
    cases = shipped_cases()
    assert len(cases) == len(cli_decisions) > 100
    for (path, data, in_file), expected in zip(cases, cli_decisions):
        if in_file == 1 and path.suffix in (".yaml", ".yml"):  # the file itself, as YAML
            response = client.post("/v1/vurdering", content=path.read_bytes(), headers=YAML)
        else:
            response = client.post("/v1/vurdering", content=json.dumps(data, ensure_ascii=False).encode(), headers=JSON)
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"] == "application/json"
        assert response.content == expected, path


def test_the_batch_endpoint_streams_the_same_bytes_for_all_cases(client, cli_decisions):
    body = b"".join(json.dumps(data, ensure_ascii=False).encode() + b"\n" for _, data, _ in shipped_cases())
    response = client.post("/v1/vurderinger", content=body, headers=JSONL)
    assert response.status_code == 200 and response.headers["content-type"] == "application/x-ndjson"
    assert response.content == b"".join(cli_decisions)


@pytest.mark.parametrize("query, options", [("?spor=false", ["--uden-spor"]), ("?dato=2022-12-01", ["--dato", "2022-12-01"]),
                                            ("?dato=2019-12-01&spor=false", ["--dato", "2019-12-01", "--uden-spor"])])
def test_date_and_trace_as_in_the_command_line(client, run_cli, query, options):
    expected = run_cli("check", "--format", "json", *options, AGERVANG).stdout.encode()
    response = client.post(f"/v1/vurdering{query}", content=AGERVANG.read_bytes(), headers={"Content-Type": "text/yaml; charset=utf-8"})
    assert response.status_code == 200 and response.content == expected
    valid(response.json(), "decision")


def test_a_bad_line_in_a_batch_gets_a_problem_line_and_the_rest_are_decided(client):
    good = json.dumps(next(iter(shipped_cases()))[1]).encode()
    body = b"\n".join([good, b"{ikke json", b"", json.dumps({"id": "x", "navn": "X", "dato": "2020-01-01", "beboere": "mange"}).encode(), good]) + b"\n"
    lines = client.post("/v1/vurderinger?spor=false", content=body, headers={"Content-Type": "application/jsonl"}).content.splitlines()
    assert len(lines) == 4
    first, syntax, invalid, last = (json.loads(line) for line in lines)
    assert first == last and "sag" in first and "spor" not in first
    assert syntax["status"] == 400 and syntax["linje"] == 2 and "ugyldig JSON" in syntax["detail"]
    assert invalid["status"] == 422 and invalid["linje"] == 4 and invalid["felt"] == "beboere"
    for item in (syntax, invalid):
        valid(item, "api", "problem")


# -- rules, schemas, health, OpenAPI ---------------------------------------------------------
def test_rules_list_with_versions_and_the_version_in_force(client, service):
    now = client.get("/v1/regler").json()
    valid(now, "api", "regelliste")
    assert now["regelsaet"]["revision"] == revision(RULES)
    assert {r["id"] for r in now["regler"]} == {r.id for r in service.ruleset.rules.values()}
    old = {r["id"]: r for r in client.get("/v1/regler?dato=2011-06-01").json()["regler"]}
    assert old["abl.61a.udsat_boligomraade"]["gaeldende_version"] != next(
        r for r in now["regler"] if r["id"] == "abl.61a.udsat_boligomraade")["gaeldende_version"]


def test_one_rule_is_its_rule_file_with_all_versions(client):
    import yaml

    by_id = client.get("/v1/regler/abl.61a.udsat_boligomraade?dato=2019-12-01").json()
    valid(by_id, "api", "regel")
    assert by_id["fil"] == "almenboligloven/61a/udsat_boligomraade.yaml"
    assert by_id["regel"] == yaml.safe_load((RULES / by_id["fil"]).read_text(encoding="utf-8"))
    assert by_id["gaeldende_version"] == "2018"
    assert client.get("/v1/regler/udsat_boligomraade?dato=2019-12-01").json() == by_id  # by the fact it decides
    assert client.get("/v1/regler/abl.61a.udsat_boligomraade?dato=1990-01-01").json()["gaeldende_version"] is None


def test_schemas_are_served_from_the_files(client):
    for name in ("case", "decision", "rule", "api"):
        response = client.get(f"/v1/skemaer/{name}")
        assert response.status_code == 200 and response.headers["content-type"] == "application/schema+json"
        assert response.content == (ROOT / "schemas" / f"{name}.schema.json").read_bytes()


def test_health_names_the_revision(client):
    body = client.get("/sundhed").json()
    valid(body, "api", "sundhed")
    assert body["regelsaet"]["revision"] == revision(RULES) and body["regler_fra"] == "--regler"


def test_openapi_is_valid_31_and_its_bodies_are_the_project_schemas(client):
    from openapi_spec_validator import validate

    doc = client.get("/openapi.json").json()
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    post = doc["paths"]["/v1/vurdering"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Sag"}
    assert post["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Afgoerelse"}
    assert post["responses"]["422"]["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    # The embedded schemas judge cases as the files do: every shipped case passes, a broken one fails.
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(doc))
    sag = Draft202012Validator({"$ref": "urn:openapi#/components/schemas/Sag"}, registry=registry, format_checker=FormatChecker())
    for _, data, _ in shipped_cases():
        assert not list(sag.iter_errors(data))
    assert list(sag.iter_errors({"id": "x", "navn": "X", "dato": "2020-01-01", "kriterier": {"andel_doemte_pct": "mange"}}))


def test_openapi_follows_a_changed_schema_file(tmp_path):
    """Built from the files at start, not a hand-written copy: a new field in case.schema.json shows."""
    folder = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", folder)
    case = json.loads((folder / "case.schema.json").read_text(encoding="utf-8"))
    case["properties"]["nyt_felt"] = {"type": "string"}
    (folder / "case.schema.json").write_text(json.dumps(case), encoding="utf-8")
    files = {p.name.removesuffix(".schema.json"): p for p in folder.glob("*.schema.json")}
    assert "nyt_felt" in document(files, "0")["components"]["schemas"]["Sag"]["properties"]


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize("body, headers, fragments", [
    (b'{"id": "x", "navn": ', JSON, ["ugyldig JSON"]),
    (b"id: [x\nnavn: y\n", YAML, ["ugyldig YAML", "linje"]),
    (b"\xff\xfeid: x", YAML, ["UTF-16"]),
    (b"id: \xe6\n", YAML, ["ikke gyldig UTF-8"]),
    (b"a: &x 1\nb: *x\n", YAML, ["aliaser"]),
])
def test_unreadable_bodies_are_400(client, body, headers, fragments):
    problem(client.post("/v1/vurdering", content=body, headers=headers), 400, *fragments)


@pytest.mark.parametrize("query, field, fragment", [
    ("?dato=2019-13-45", "dato", "forventede ÅÅÅÅ-MM-DD"),
    ("?dato=i%20dag", "dato", "'i dag' er ikke en gyldig dato"),
    ("?spor=nej", "spor", "forventede true eller false"),
    ("?spoor=false", "spoor", "tilladte: dato, spor"),
    ("?dato=2020-01-01&dato=2021-01-01", "dato", "mere end én gang"),
])
def test_bad_query_parameters_are_400_naming_the_parameter(client, query, field, fragment):
    body = problem(client.post(f"/v1/vurdering{query}", content=AGERVANG.read_bytes(), headers=YAML), 400, fragment)
    assert body["felt"] == field
    problem(client.get(f"/v1/regler{query.replace('spor', 'x')}"), 400)


@pytest.mark.parametrize("data, field, fragment", [
    ({"id": "x", "navn": "X", "dato": "2020-01-01", "kriterier": {"andel_doemte_pct": "mange"}}, "kriterier.andel_doemte_pct", "forventede et tal"),
    ({"id": "x", "navn": "X"}, None, "mangler det påkrævede felt 'dato'"),
    ({"id": "x", "navn": "X", "dato": "2020-02-30"}, "dato", "ikke en gyldig dato"),
    ({"id": "x", "navn": "X", "dato": "2020-01-01", "beboer": 1000}, "beboer", "mente du 'beboere'"),
    ({"id": "x", "navn": "X", "dato": "2020-01-01", "beboere": {"over": 999, "under": 1000}}, "beboere", "grænsen er tom"),
    ([1, 2], None, "en sag skal være et objekt"),
])
def test_invalid_cases_are_422_naming_the_field_and_what_was_expected(client, data, field, fragment):
    body = problem(client.post("/v1/vurdering", content=json.dumps(data).encode(), headers=JSON), 422, fragment)
    assert body.get("felt") == field


def test_yaml_with_two_cases_is_422(client):
    text = AGERVANG.read_bytes()
    problem(client.post("/v1/vurdering", content=text + b"---\n" + text, headers=YAML), 422, "præcis én sag", "/v1/vurderinger")


@pytest.mark.parametrize("path, headers, fragment", [
    ("/v1/vurdering", {}, "ingen Content-Type"),
    ("/v1/vurdering", {"Content-Type": "text/plain"}, "'text/plain' understøttes ikke"),
    ("/v1/vurdering", {"Content-Type": "application/json; charset=latin-1"}, "charset=utf-8"),
    ("/v1/vurderinger", JSON, "application/x-ndjson"),
])
def test_unsupported_media_types_are_415(client, path, headers, fragment):
    problem(client.post(path, content=b"{}", headers=headers), 415, fragment)


def test_bodies_over_the_limits_are_413(service):
    limits = Limits(case_bytes=2048, batch_bytes=4096, seconds=10)
    with TestClient(create_app(service, limits), raise_server_exceptions=False) as small:
        problem(small.post("/v1/vurdering", content=b" " * 2049, headers=YAML), 413, "2048 byte")
        problem(small.post("/v1/vurderinger", content=b"{}\n" * 1500, headers=JSONL), 413, "4096 byte")
        line = json.loads(small.post("/v1/vurderinger", content=b"[" + b" " * 3000 + b"]\n", headers=JSONL).content)
        assert line["status"] == 413 and line["linje"] == 1


def test_unknown_paths_and_methods_are_problems(client):
    problem(client.get("/v1/regler/findes.ikke"), 404, "'findes.ikke'")
    problem(client.get("/v1/skemaer/..%2F..%2Fpyproject"), 404)
    problem(client.get("/v1/skemaer/hemmelig"), 404, "kendte: ")
    problem(client.get("/admin"), 404, "/openapi.json")
    problem(client.get("/v1/vurdering"), 405, "GET er ikke tilladt")
    problem(client.post("/v1/genindlaes"), 404)  # reloading is off unless asked for


def test_time_limit_and_internal_errors_are_problems_without_a_traceback(service, monkeypatch):
    def slow(*args):
        time.sleep(0.6)
        return b"{}\n"

    with TestClient(create_app(service, Limits(seconds=0.2)), raise_server_exceptions=False) as quick:
        monkeypatch.setattr(service, "one", slow)
        problem(quick.post("/v1/vurdering", content=AGERVANG.read_bytes(), headers=YAML), 503, "0.2 s")
        many = b"".join(json.dumps(data).encode() + b"\n" for _, data, _ in shipped_cases()) * 20
        lines = quick.post("/v1/vurderinger", content=many, headers=JSONL).content.splitlines()
        last = json.loads(lines[-1])
        assert last["status"] == 503 and "resten er ikke vurderet" in last["detail"] and len(lines) < many.count(b"\n")

        def broken(*args):
            raise RuntimeError("hemmelig intern tilstand")

        monkeypatch.setattr(service, "one", broken)
        body = problem(quick.post("/v1/vurdering", content=AGERVANG.read_bytes(), headers=YAML), 500, "intern fejl")
        assert "hemmelig" not in json.dumps(body)


def test_reload_endpoint_when_switched_on(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    with TestClient(create_app(Service(RuleSource(rules, OPTION)), reload=True), raise_server_exceptions=False) as c:
        before = c.get("/sundhed").json()["regelsaet"]["revision"]
        path = rules / "almenboligloven" / "61a" / "udsat_boligomraade.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "# ændret\n", encoding="utf-8")
        assert c.get("/sundhed").json()["regelsaet"]["revision"] == before  # loaded once, at start
        after = c.post("/v1/genindlaes").json()["regelsaet"]["revision"]
        assert after == revision(rules) != before
        path.write_text(path.read_text(encoding="utf-8").replace("titel:", "titel: x\ntitel:", 1), encoding="utf-8")
        problem(c.post("/v1/genindlaes"), 422, "udsat_boligomraade.yaml", "stadig i brug")
        assert c.get("/sundhed").json()["regelsaet"]["revision"] == after
        assert "/v1/genindlaes" in c.get("/openapi.json").json()["paths"]


# -- the real server ---------------------------------------------------------------------------
def test_the_real_server_over_http(run_cli, tmp_path):
    port = free_port()
    proc = subprocess.Popen([console_script(), "serve", "--port", str(port), "--tidsgraense", "1", "--regler", str(RULES)],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        health = wait_until_serving(proc, port)
        assert health["regelsaet"]["revision"] == revision(RULES)
        request = urllib.request.Request(f"{base}/v1/vurdering", data=AGERVANG.read_bytes(), headers=YAML, method="POST")
        assert http_get(request) == run_cli("check", "--format", "json", AGERVANG).stdout.encode()
        # A client that announces a body and does not send it is cut off at the time limit.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"POST /v1/vurdering HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            answer = sock.recv(4096).decode()
        assert answer.startswith("HTTP/1.1 408") and "application/problem+json" in answer
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    # uvicorn shuts down gracefully and then ends with the signal it got, as a service manager expects
    assert proc.returncode in (0, -signal.SIGTERM) and "Traceback" not in err.decode(), err.decode()
    assert f"lbf-rules serve: http://127.0.0.1:{port} (regelsæt" in err.decode()


def test_serve_without_the_optional_packages_says_how_to_install_them(run_cli, tmp_path):
    fake = tmp_path / "skjul"
    fake.mkdir()
    (fake / "starlette.py").write_text("", encoding="utf-8")  # shadows the package: starlette.applications cannot be imported
    result = run_cli("serve", env={"PYTHONPATH": str(fake)})
    assert result.returncode == 2
    assert "pip install 'lbf-rules[serve]'" in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_a_broken_rule_set_before_opening_the_port(run_cli, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "almenboligloven" / "61b" / "forebyggelsesomraade.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titel:", "titel: x\ntitel:", 1), encoding="utf-8")
    result = run_cli("serve", "--port", str(free_port()), "--regler", rules)
    assert result.returncode == 2 and "forebyggelsesomraade.yaml" in result.stderr
