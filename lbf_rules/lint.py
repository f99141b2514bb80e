"""`lbf-rules lint`: every problem in a rule repository, one line each with file, line and code.

Codes (E = error, W = warning; both make the exit status 1):
  LBF001 E  the file cannot be read as YAML (syntax, encoding, tags, aliases, nesting)
  LBF002 E  a key stands twice
  LBF003 W  a YAML 1.1 trap: yes/no/on/off unquoted, an unintended date, a number with leading zeros
  LBF005 E  a limit: a file over 1 MB (YAML) or 10 MB (other), over 5,000 values in one rule file,
            over 2,000 files or 64 MB in the folder, or something that is not a regular file or folder
  LBF010 E  the file does not fit its JSON Schema
  LBF011 E  a citation (kilder) is missing or malformed
  LBF012 E  a condition has no reason text (begrundelse)
  LBF013 E  a date is not a valid date
  LBF020 E  unknown fact (with "did you mean")
  LBF021 E  unknown parameter (with "did you mean")
  LBF022 E  incompatible kinds compared (a yes/no fact with a number, a percentage with a count, ...)
  LBF030 E  versions overlap
  LBF031 E  a gap between versions that no explicit repeal (ophaevelser) explains
  LBF032 E  dates run backwards
  LBF033 E  a derived fact a version uses is not decided for the whole of that version
  LBF034 E  a lov or regulativ rule builds on LBF practice (a praksis rule or parameter)
  LBF040 E  derived facts depend on each other in a cycle
  LBF050 W  a parameter no rule uses (and no command declares it uses)
  LBF051 W  two versions of a rule share the same and only source link (an old version may cite today's text)
  LBF052 E  other structural problems (duplicate derived fact, id and file name differ, ...)
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputError, RuleError
from .escape import plain
from .ruleset import MAX_RULE_NODES, Ruleset, Sink, Version, load_ruleset
from .ruletree import MAX_YAML_BYTES
from .yamlio import read_text, screen

WARNINGS = {"LBF003", "LBF050", "LBF051"}
YAML11_BOOLS = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ].*)?$")
LEADING_ZERO = re.compile(r"^[-+]?0\d+$")
DATE_FIELDS = {"gyldig_fra", "gyldig_til", "fra"}


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    message: str

    @property
    def severity(self) -> str:
        return "warning" if self.code in WARNINGS else "error"

    def text(self) -> str:
        return f"{plain(self.path, 300)}:{self.line}:{self.column}: {self.code} {plain(self.message, 1000)}"

    def github(self) -> str:
        def escaped(text: str, properties: bool = False) -> str:
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return text.replace(":", "%3A").replace(",", "%2C") if properties else text

        return (
            f"::{self.severity} file={escaped(plain(self.path, 300), True)},line={self.line},col={self.column},"
            f"title={self.code}::{self.code} {escaped(plain(self.message, 1000))}"
        )


def find_root(path: Path) -> Path | None:
    """The rule repository a path belongs to: the nearest folder upward with regelsaet.yaml."""
    path = path.resolve()
    for folder in [path, *path.parents] if path.is_dir() else path.parents:
        if (folder / "regelsaet.yaml").is_file():
            return folder
    return None


def lint(root: Path) -> list[Finding]:
    sink = Sink(collect=True)
    ruleset = load_ruleset(root, sink)
    findings = [_finding(e) for e in sink.errors]
    findings += _yaml11_traps(root)
    findings += _gaps(ruleset)
    findings += _unused_parameters(ruleset)
    findings += _shared_only_links(ruleset)
    return sorted(set(findings))


def _finding(error: InputError) -> Finding:
    message = error.message if not error.field else f"felt '{error.field}': {error.message}"
    return Finding(error.source, error.line or 1, error.column or 1, error.code or "LBF010", message)


def _yaml11_traps(root: Path) -> list[Finding]:
    out = []
    for path in sorted(root.rglob("*.yaml")):
        try:
            text = read_text(path, MAX_YAML_BYTES)
            screen(text, str(path), MAX_RULE_NODES)
            node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (InputError, yaml.YAMLError, RecursionError):
            continue  # reported as LBF001 or LBF005 by the loader
        out += _walk_traps(str(path), node, None)
    return out


def _walk_traps(source: str, node, key: str | None) -> list[Finding]:
    out = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            out += _walk_traps(source, v, k.value if isinstance(k, yaml.ScalarNode) else None)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            out += _walk_traps(source, item, key)
    elif isinstance(node, yaml.ScalarNode) and node.style in (None, ""):
        value, line, col = node.value, node.start_mark.line + 1, node.start_mark.column + 1
        message = None
        if YAML11_BOOLS.match(value):
            message = (
                f"'{value}' uden citationstegn er tekst her (YAML 1.1 læser det som sand/falsk); "
                "skriv true/false eller sæt den i citationstegn"
            )
        elif DATE_LIKE.match(value) and key not in DATE_FIELDS:
            message = f"'{value}' ligner en dato i feltet '{key}'; sæt den i citationstegn, hvis det er tekst"
        elif LEADING_ZERO.match(value):
            message = f"'{value}' har foranstillet nul og er tekst her (YAML 1.1 læser det som oktaltal); skriv tallet uden nul"
        if message is not None:
            out.append(Finding(source, line, col, "LBF003", message))
    return out


def _gaps(ruleset: Ruleset) -> list[Finding]:
    out = []
    for rule in ruleset.rules.values():
        for before, after in itertools.pairwise(rule.versions):
            if before.valid_to and before.valid_to < after.valid_from and before.valid_to not in rule.repeals:
                out.append(
                    Finding(
                        str(rule.path),
                        after.line,
                        1,
                        "LBF031",
                        f"hul fra {before.valid_to} til {after.valid_from} mellem version '{before.name}' og '{after.name}'; "
                        "angiv en ophævelse under 'ophaevelser', hvis reglen var ophævet",
                    )
                )
    return out


def _unused_parameters(ruleset: Ruleset) -> list[Finding]:
    used: set[str] = set()
    for rule in ruleset.rules.values():
        for version in rule.versions:
            for node in version.body.walk():
                used.update(node.parameters())
    return [
        Finding(str(p.path), 1, 1, "LBF050", f"parameteren '{p.id}' bruges ikke af nogen regel; slet den eller angiv 'brugt_af'")
        for p in ruleset.parameters.values()
        if p.id not in used and not p.used_by
    ]


def _shared_only_links(ruleset: Ruleset) -> list[Finding]:
    """Versions whose one and only source link is the same: the sign of an old version that points at
    the law's text of today instead of the law as enacted or the consolidated act of its period."""
    out = []
    for rule in ruleset.rules.values():
        first: dict[str, Version] = {}
        for version in rule.versions:
            urls = {s.url for s in version.sources if s.url}
            if len(urls) != 1:
                continue
            (url,) = urls
            if url in first:
                earlier = first[url]
                out.append(
                    Finding(
                        str(rule.path),
                        earlier.line,
                        1,
                        "LBF051",
                        f"version '{earlier.name}' og version '{version.name}' har samme eneste kilde-link ({url}); "
                        "henvis for hver version til loven som vedtaget eller periodens lovbekendtgørelse",
                    )
                )
            else:
                first[url] = version
    return out


def lint_paths(paths: list[Path]) -> list[Finding]:
    """Findings for the repositories the paths belong to, limited to the files asked about."""
    findings: list[Finding] = []
    for path in paths:
        if not path.exists():
            raise InputError(str(path), "findes ikke")
        root = find_root(path)
        if root is None:
            raise RuleError(str(path), "ligger ikke i en regelmappe (ingen regelsaet.yaml i mappen eller over den)")
        found = lint(root)
        if path.is_file():
            found = [f for f in found if Path(f.path).resolve() == path.resolve()]
        findings += found
    return sorted(set(findings))


FORMATS = {"tekst": Finding.text, "github": Finding.github}  # the output formats of `lbf-rules lint`
