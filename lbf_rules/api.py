"""What the HTTP service does, free of any web framework (lbf_rules/server.py wires it to ASGI).

Everything a request brings is untrusted: the body is read by the same loader and validated by the
same case checks as a case file on the command line (lbf_rules/yamlio.py, lbf_rules/cases.py), and
a decision is the same bytes `check --format json` prints (lbf_rules/decisions.py). Every error is
a `Problem` (RFC 9457) in Danish that names the field or line and what was expected.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from .cases import check_case
from .decisions import decision_bytes
from .errors import InputError
from .explain import find_rule
from .paths import RuleSource, package_version, schemas_dir
from .ruleset import Ruleset, load_ruleset, revision
from .yamlio import decode, load_one, parse_json_line, parse_text

SOURCE = "anmodningen"  # how the request body is named in messages
PROBLEM_TYPES = "https://lbf-rules.example/problemer/"
CASE_TYPES = {  # media type → how the body is read (as a file with this ending)
    "application/json": ".json",
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "text/yaml": ".yaml",
    "text/x-yaml": ".yaml",
}
BATCH_TYPES = {"application/jsonl", "application/x-ndjson", "application/x-jsonlines", "application/jsonlines"}
BATCH_RESPONSE_TYPE = "application/x-ndjson"
QUERY = {"vurdering": ("dato", "spor"), "regler": ("dato",)}


@dataclass(frozen=True)
class Limits:
    """Bounds on every request (see `lbf-rules serve --help`)."""

    case_bytes: int = 1024 * 1024  # one case, and one line of a batch
    batch_bytes: int = 64 * 1024 * 1024
    seconds: float = 10.0


class Problem(Exception):
    """An error answer: application/problem+json with a Danish title and detail."""

    def __init__(self, status: int, kind: str, title: str, detail: str, field: str | None = None, line: int | None = None):
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail, self.field, self.line = status, kind, title, detail, field, line

    def body(self, instance: str | None = None) -> dict:
        out = {"type": PROBLEM_TYPES + self.kind, "title": self.title, "status": self.status, "detail": self.detail}
        if instance:
            out["instance"] = instance
        if self.field:
            out["felt"] = self.field
        if self.line:
            out["linje"] = self.line
        return out

    def json_bytes(self, instance: str | None = None) -> bytes:
        return json.dumps(self.body(instance), ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def syntax_problem(exc: InputError) -> Problem:
    return Problem(400, "ugyldigt-indhold", "Indholdet kan ikke læses", _detail(exc), exc.field, exc.line)


def case_problem(exc: InputError) -> Problem:
    return Problem(422, "ugyldig-sag", "Sagen er ikke gyldig", _detail(exc), exc.field, exc.line)


def _detail(exc: InputError) -> str:
    where = [f"linje {exc.line}"] if exc.line else []
    if exc.field:
        where.append(f"felt '{exc.field}'")
    return f"{', '.join(where).capitalize()}: {exc.message}" if where else exc.message[:1].upper() + exc.message[1:]


def shown(value: str, limit: int = 60) -> str:
    """An untrusted value quoted for a message, cut short."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def too_large(limit: int, what: str = "indholdet") -> Problem:
    return Problem(413, "for-stort", "Anmodningen er for stor", f"{what.capitalize()} må højst fylde {limit} byte")


def media_type(header: str | None, allowed: Iterable[str]) -> str:
    """The request's media type if it is one of `allowed` (charset, if given, must be UTF-8)."""
    allowed = sorted(allowed)
    expected = f"forventede Content-Type {', '.join(allowed)}"
    if not header:
        raise Problem(
            415, "ukendt-medietype", "Medietypen mangler", f"Anmodningen har ingen Content-Type; {expected}", field="Content-Type"
        )
    kind, *params = [part.strip() for part in header.split(";")]
    kind = kind.lower()
    if kind not in allowed:
        raise Problem(
            415,
            "ukendt-medietype",
            "Medietypen understøttes ikke",
            f"Content-Type {shown(kind)} understøttes ikke; {expected}",
            field="Content-Type",
        )
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise Problem(
                415,
                "ukendt-medietype",
                "Tegnsættet understøttes ikke",
                f"Tegnsættet {shown(value.strip())} understøttes ikke; forventede charset=utf-8",
                field="Content-Type",
            )
    return kind


def query(params: list[tuple[str, str]], allowed: tuple[str, ...]) -> tuple[dt.date | None, bool]:
    """`?dato=ÅÅÅÅ-MM-DD` and `?spor=true|false`; an unknown or repeated parameter is an error, not ignored."""
    seen: dict[str, str] = {}
    for name, value in params:
        if name not in allowed:
            raise Problem(
                400,
                "ugyldig-parameter",
                "Ukendt parameter",
                f"Parameteren {shown(name)} kendes ikke; tilladte: {', '.join(allowed)}",
                field=name[:60],
            )
        if name in seen:
            raise Problem(400, "ugyldig-parameter", "Parameter gentaget", f"Parameteren '{name}' står mere end én gang", field=name)
        seen[name] = value
    day = None
    if "dato" in seen:
        try:
            day = dt.date.fromisoformat(seen["dato"]) if len(seen["dato"]) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise Problem(
                400,
                "ugyldig-parameter",
                "Ugyldig dato",
                f"{shown(seen['dato'])} er ikke en gyldig dato; forventede ÅÅÅÅ-MM-DD",
                field="dato",
            )
    trace = seen.get("spor", "true")
    if trace not in ("true", "false"):
        raise Problem(
            400,
            "ugyldig-parameter",
            "Ugyldig værdi for spor",
            f"{shown(trace)} er ikke tilladt for spor; forventede true eller false",
            field="spor",
        )
    return day, trace == "true"


class Service:
    """The rule set loaded once, and the answers built from it."""

    def __init__(self, source: RuleSource):
        self.source = source
        before = revision(source.rules)
        self.ruleset: Ruleset = load_ruleset(source.rules)
        self.documents = {rule.id: load_one(rule.path).data for rule in self.ruleset.rules.values()}
        if revision(source.rules) != before or before != self.ruleset.revision:
            raise InputError(str(source.rules), "reglerne blev ændret, mens de blev indlæst; start igen")
        self.loaded = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.schema_files = {p.name.removesuffix(".schema.json"): p for p in sorted(schemas_dir().glob("*.schema.json"))}

    # -- decisions -------------------------------------------------------------------------
    def one(self, body: bytes, suffix: str, day: dt.date | None, trace: bool) -> bytes:
        """The decision JSON for a body holding one case (JSON or YAML)."""
        try:
            docs = parse_text(decode(body, SOURCE), SOURCE, suffix)
        except InputError as exc:
            raise syntax_problem(exc) from None
        if len(docs) != 1:
            raise Problem(
                422,
                "ugyldig-sag",
                "Forventede én sag",
                f"Indholdet skal være præcis én sag; fandt {len(docs)} dokumenter (brug /v1/vurderinger til flere)",
            )
        try:
            case = check_case(docs[0], self.ruleset)
        except InputError as exc:
            raise case_problem(exc) from None
        return decision_bytes(self.ruleset, case, day, trace)

    def line(self, number: int, raw: bytes, day: dt.date | None, trace: bool, limits: Limits) -> bytes:
        """One output line of a batch: the decision, or the problem of that input line."""
        if len(raw) > limits.case_bytes:
            return Problem(
                413,
                "for-stort",
                "Linjen er for stor",
                f"Linje {number} fylder {len(raw)} byte; højst {limits.case_bytes} byte pr. sag",
                line=number,
            ).json_bytes()
        try:
            doc = parse_json_line(raw, number, SOURCE)
        except InputError as exc:
            return syntax_problem(exc).json_bytes()
        try:
            case = check_case(doc, self.ruleset)
        except InputError as exc:
            return case_problem(exc).json_bytes()
        return decision_bytes(self.ruleset, case, day, trace)

    # -- rules and schemas -------------------------------------------------------------------
    def ruleset_json(self) -> dict:
        rs = self.ruleset
        return {"navn": rs.name, "version": rs.version, "revision": rs.revision}

    def rules(self, day: dt.date | None) -> dict:
        day = day or dt.date.today()
        return {
            "regelsaet": self.ruleset_json(),
            "dato": day.isoformat(),
            "regler": [
                {
                    "id": rule.id,
                    "titel": rule.title,
                    "art": rule.kind,
                    "udleder": rule.derives,
                    "fil": rule.path.relative_to(self.ruleset.root).as_posix(),
                    "versioner": [
                        {
                            "version": v.name,
                            "navn": v.legal_name,
                            "gyldig_fra": v.valid_from.isoformat(),
                            "gyldig_til": v.valid_to.isoformat() if v.valid_to else None,
                        }
                        for v in rule.versions
                    ],
                    "gaeldende_version": (v.name if (v := rule.version_at(day)) else None),
                }
                for rule in self.ruleset.rules.values()
            ],
        }

    def rule(self, rule_id: str, day: dt.date | None) -> dict:
        rule = find_rule(self.ruleset, rule_id)
        if rule is None:
            raise Problem(404, "ukendt-regel", "Reglen findes ikke", f"Ingen regel har id eller udleder {shown(rule_id)}; se /v1/regler")
        day = day or dt.date.today()
        version = rule.version_at(day)
        return {
            "regelsaet": self.ruleset_json(),
            "dato": day.isoformat(),
            "fil": rule.path.relative_to(self.ruleset.root).as_posix(),
            "gaeldende_version": version.name if version else None,
            "regel": self.documents[rule.id],
        }

    def schema(self, name: str) -> bytes:
        path = self.schema_files.get(name)
        if path is None:
            raise Problem(
                404, "ukendt-skema", "Skemaet findes ikke", f"Intet skema hedder {shown(name)}; kendte: {', '.join(self.schema_files)}"
            )
        return path.read_bytes()

    def health(self) -> dict:
        return {
            "status": "ok",
            "lbf_rules": package_version(),
            "regelsaet": self.ruleset_json(),
            "regler_fra": self.source.origin,
            "indlaest": self.loaded,
        }
