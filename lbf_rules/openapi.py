"""The service's OpenAPI 3.1 document, built at start from the project's own JSON Schemas.

The request and response bodies are the files in schemas/ (case, decision, rule and the service's
own api.schema.json), embedded as components when the server starts, so the document can never
drift from what `check` validates and prints. Each file's `$id` is dropped in the embedded copy and
its references are pointed at the components, because most OpenAPI tools resolve `#/...` against
the OpenAPI document rather than against a schema's `$id`.
"""

from __future__ import annotations

import json
from pathlib import Path

from .api import BATCH_RESPONSE_TYPE, BATCH_TYPES, CASE_TYPES

COMPONENTS = {"case": "Sag", "decision": "Afgoerelse", "rule": "Regelfil", "api": "Api"}
API_DEFS = {"problem": "Problem", "regelliste": "Regelliste", "regel": "Regel", "sundhed": "Sundhed"}
REF = "#/components/schemas/"


def _embedded(schema: dict, component: str) -> dict:
    """A schema file as a component: `#/$defs/x` and `other.schema.json#...` become component refs."""
    files = {f"{stem}.schema.json": name for stem, name in COMPONENTS.items()}

    def walk(node):
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    target, _, fragment = value.partition("#")
                    value = REF + (files[target] if target else component) + fragment
                out[key] = walk(value)
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk({k: v for k, v in schema.items() if k not in ("$id", "$schema")})


def _problems(*statuses: int) -> dict:
    return {
        str(status): {"description": DESCRIPTIONS[status], "content": {"application/problem+json": {"schema": {"$ref": REF + "Problem"}}}}
        for status in statuses
    }


DESCRIPTIONS = {
    400: "Indholdet eller en parameter kan ikke læses (ugyldig JSON/YAML, ikke UTF-8, ukendt parameter, ugyldig dato).",
    404: "Reglen, skemaet eller stien findes ikke.",
    408: "Indholdet blev ikke modtaget inden for tidsgrænsen.",
    413: "Indholdet er større end grænsen.",
    415: "Content-Type mangler eller understøttes ikke.",
    422: "Indholdet kan læses, men er ikke en gyldig sag (feltet og hvad der var forventet står i detail, felt og linje).",
    503: "Vurderingen nåede ikke at blive færdig inden for tidsgrænsen.",
}
DATE = {
    "name": "dato",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "format": "date"},
    "description": "Vurdér på denne dato i stedet for sagens egen (som check --dato).",
}
TRACE = {
    "name": "spor",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["true", "false"], "default": "true"},
    "description": "false: udelad det fulde spor (som check --uden-spor).",
}
RULE_DATE = dict(DATE, description="Vis den version, der gælder på datoen (standard: i dag).")


def document(schema_files: dict[str, Path], version: str, reload: bool = False) -> dict:
    components = {name: _embedded(json.loads(schema_files[stem].read_text(encoding="utf-8")), name) for stem, name in COMPONENTS.items()}
    components.update({name: {"$ref": f"{REF}Api/$defs/{key}"} for key, name in API_DEFS.items()})
    case_body = {kind: {"schema": {"$ref": REF + "Sag"}} for kind in sorted(CASE_TYPES)}
    json_lines = {"type": "string", "description": "JSON Lines: én sag (application/json) pr. linje, hver gyldig efter skemaet Sag."}
    paths = _paths(case_body, json_lines)
    if reload:
        paths["/v1/genindlaes"] = {
            "post": {
                "operationId": "genindlaes",
                "summary": "Indlæs reglerne igen fra samme sted (kun når serve --genindlaesning er givet).",
                "responses": {
                    "200": {
                        "description": "De nye regler er i brug.",
                        "content": {"application/json": {"schema": {"$ref": REF + "Sundhed"}}},
                    },
                    **_problems(422),
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "lbf-rules",
            "version": version,
            "summary": "Landsbyggefondens boligsociale regler som en tjeneste for sagssystemer.",
            "description": "Samme afgørelse, byte for byte, som `lbf-rules check --format json`. Fejl er "
            "application/problem+json (RFC 9457) på dansk.",
        },
        "paths": paths,
        "components": {"schemas": components},
    }


def _paths(case_body: dict, json_lines: dict) -> dict:
    return {
        "/v1/vurdering": {
            "post": {
                "operationId": "vurdering",
                "summary": "Vurdér én sag (JSON eller YAML).",
                "parameters": [DATE, TRACE],
                "requestBody": {"required": True, "content": case_body},
                "responses": {
                    "200": {"description": "Afgørelsen.", "content": {"application/json": {"schema": {"$ref": REF + "Afgoerelse"}}}},
                    **_problems(400, 408, 413, 415, 422, 503),
                },
            }
        },
        "/v1/vurderinger": {
            "post": {
                "operationId": "vurderinger",
                "summary": "Vurdér mange sager: JSON Lines ind, JSON Lines ud i samme rækkefølge.",
                "description": "Hver linje ud er afgørelsen for linjen ind, eller en Problem-linje (med linjens nummer) for en linje, "
                "der ikke er en gyldig sag. Overskrides tidsgrænsen undervejs, er sidste linje en Problem-linje med status 503.",
                "parameters": [DATE, TRACE],
                "requestBody": {"required": True, "content": {kind: {"schema": json_lines} for kind in sorted(BATCH_TYPES)}},
                "responses": {
                    "200": {
                        "description": "Én JSON-linje pr. sag.",
                        "content": {
                            BATCH_RESPONSE_TYPE: {
                                "schema": {"type": "string", "description": "JSON Lines; hver linje er x-linjeskema."},
                                "x-linjeskema": {"oneOf": [{"$ref": REF + "Afgoerelse"}, {"$ref": REF + "Problem"}]},
                            }
                        },
                    },
                    **_problems(400, 408, 413, 415),
                },
            }
        },
        "/v1/regler": {
            "get": {
                "operationId": "regler",
                "summary": "Alle regler med versioner og den version, der gælder på datoen.",
                "parameters": [RULE_DATE],
                "responses": {
                    "200": {"description": "Reglerne.", "content": {"application/json": {"schema": {"$ref": REF + "Regelliste"}}}},
                    **_problems(400),
                },
            }
        },
        "/v1/regler/{id}": {
            "get": {
                "operationId": "regel",
                "summary": "Én regel (id eller det faktum, den udleder) som regelfilen med alle versioner.",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}, RULE_DATE],
                "responses": {
                    "200": {"description": "Reglen.", "content": {"application/json": {"schema": {"$ref": REF + "Regel"}}}},
                    **_problems(400, 404),
                },
            }
        },
        "/v1/skemaer/{navn}": {
            "get": {
                "operationId": "skema",
                "summary": "Et af projektets JSON Schemas (case, decision, rule, api, ...).",
                "parameters": [{"name": "navn", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "Skemaet.", "content": {"application/schema+json": {"schema": {"type": "object"}}}},
                    **_problems(404),
                },
            }
        },
        "/sundhed": {
            "get": {
                "operationId": "sundhed",
                "summary": "Tjenesten kører; regelsættets version og revision.",
                "responses": {"200": {"description": "Sundhed.", "content": {"application/json": {"schema": {"$ref": REF + "Sundhed"}}}}},
            }
        },
    }
