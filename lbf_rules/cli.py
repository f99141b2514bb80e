"""The `lbf-rules` command line.

Exit status: 0 when every case was evaluated, 2 for invalid input or usage (one line on stderr
naming the file and the line or field), 70 for an internal error (one line; set LBF_DEBUG=1 for
the traceback). Never a bare traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import sys
import traceback
from pathlib import Path

import click

from .errors import EngineFailure, InputError, UsageError
from .escape import plain

EXIT_INPUT = 2
EXIT_INTERNAL = 70
# click's own usage messages, in Danish (the message text after these beginnings is kept)
CLICK_DANISH = [
    ("Missing argument", "mangler argumentet"),
    ("Missing option", "mangler tilvalget"),
    ("No such command", "ukendt kommando"),
    ("No such option", "ukendt tilvalg"),
    ("Invalid value for", "ugyldig værdi for"),
    ("Got unexpected extra argument", "uventet ekstra argument"),
    ("Option '", "tilvalget '"),
]


def danish_usage(message: str) -> str:
    for english, danish in CLICK_DANISH:
        if message.startswith(english):
            message = danish + message[len(english) :]
            break
    message = message.replace(" is not one of ", " er ikke en af ").replace(" requires an argument", " kræver en værdi")
    message = _OUT_OF_RANGE.sub(lambda m: f"{m[1]} er uden for det tilladte ({_danish_help(m[2])})", message)
    message = _NOT_A_NUMBER.sub(lambda m: " er ikke et helt tal." if m[1] == "integer" else " er ikke et tal.", message)
    message = _PATH_PROBLEM.sub(lambda m: f"{_PATH_NOUNS[m[1]]} {m[2]} {_PATH_WORDS[m[3]]}.", message)
    return message.replace("Did you mean", "Mente du").replace("(Possible options:", "(mulige:")


_OUT_OF_RANGE = re.compile(r"(\S+) is not in the range (\S+?)\.?$")  # click's IntRange and FloatRange
_NOT_A_NUMBER = re.compile(r" is not a valid (integer|float)(?: range)?\.$")
_PATH_PROBLEM = re.compile(r"\b(File|Directory|Path) ('.*') (does not exist|is a file|is a directory|is not readable|is not writable)\.$")
_PATH_NOUNS = {"File": "filen", "Directory": "mappen", "Path": "stien"}
_PATH_WORDS = {
    "does not exist": "findes ikke",
    "is a file": "er en fil; forventede en mappe",
    "is a directory": "er en mappe; forventede en fil",
    "is not readable": "kan ikke læses",
    "is not writable": "kan ikke skrives",
}


def _date(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' er ikke en gyldig dato; forventede ÅÅÅÅ-MM-DD") from None


def _version(ctx, _param, value: bool) -> None:
    """`--version`: the package, the rule set it would use here and where that came from."""
    if not value or ctx.resilient_parsing:
        return
    from .paths import discover, package_version
    from .ruleset import revision
    from .yamlio import load_one

    click.echo(f"lbf-rules {package_version()}")
    try:
        source = discover()
        meta = load_one(source.rules / "regelsaet.yaml").data
        version = meta.get("version") if isinstance(meta, dict) else None
        click.echo(f"regelsæt: {version or 'uden version'}, revision {revision(source.rules)}")
        click.echo(f"regler fra: {source.where()}")
    except (UsageError, InputError) as exc:
        click.echo(f"regler: kan ikke bruges ({exc})")
    ctx.exit()


def _ruleset(regler: Path | None, command: str | None = None, note_on_stdout: bool = False):
    """The rule set a command works on (lbf_rules.paths.discover) and where it came from."""
    from .ruleset import load_ruleset

    source = _discover(regler, command, note_on_stdout)
    return load_ruleset(source.rules), source


def _discover(regler: Path | None, command: str | None = None, note_on_stdout: bool = False):
    """When the rules are not the repository you stand in, text meant for people says where they
    came from in its first line (printed with the first output, so a run refused before any work
    prints nothing). Machine formats (JSON, lint lines) carry the revision instead and get a line
    on stderr only when LBF_RULES_DIR chose the rules, a setting easily forgotten."""
    from .paths import ENVIRONMENT, discover

    source = discover(regler, command)
    if source.note() and not note_on_stdout and source.origin == ENVIRONMENT:
        click.echo(source.note(), err=True)
    return source


class FirstLine:
    """The rules' origin note, printed once just before the first output of a command for people."""

    def __init__(self, source, wanted: bool):
        self.text = source.note() if wanted else None

    def __call__(self) -> None:
        if self.text:
            click.echo(self.text)
            self.text = None


class Formats(click.Choice):
    """A --format option whose choices are the keys of the module's FORMATS registry, so a new output
    format is one entry in one module. The module is imported only when the option is used or its
    help shown (start-up time)."""

    def __init__(self, module: str):
        self.module = module
        super().__init__([])

    @property
    def choices(self):  # noqa: D102 - click reads this for checking and for help
        import importlib

        return list(importlib.import_module(f"lbf_rules.{self.module}").FORMATS)

    @choices.setter
    def choices(self, _value) -> None:
        pass


REGLER_HELP = (
    "Regelmappen. Standard: LBF_RULES_DIR, ellers rules/ i det regelrepositorium, du står i (søgt opad), "
    "ellers de regler, der følger med pakken."
)
REPOSITORY_REGLER_HELP = (
    "Regelmappen. Standard: LBF_RULES_DIR, ellers rules/ i det regelrepositorium, du står i (søgt opad); aldrig pakkens regler."
)


JOBS_OPTION = click.option(  # check and impact
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    metavar="N",
    help="Fordel sagerne over N processer; udskriften kommer i samme rækkefølge som sagerne.",
)

# click writes its help in English; these are its words, in Danish (the texts of our own options and
# commands are Danish already). tests/test_cli.py walks every command's --help for English left over.
HELP_DANISH = [
    ("Usage:", "Brug:"),
    ("Options:", "Tilvalg:"),
    ("Commands:", "Kommandoer:"),
    ("Arguments:", "Argumenter:"),
    ("Show this message and exit.", "Vis denne hjælp og afslut."),
    ("[default:", "[standard:"),
    ("[required]", "[påkrævet]"),
    ("[OPTIONS]", "[TILVALG]"),
    ("COMMAND [ARGS]...", "KOMMANDO [ARGUMENTER]..."),
    ("[env var: ", "[miljøvariabel: "),
    ("; default: ", "; standard: "),
    # click's names for the kind of value an option takes, padded to keep the help's columns
    (" DIRECTORY", " MAPPE    "),
    (" FILE", " FIL "),
    (" PATH", " STI "),
    (" INTEGER RANGE", " HELTAL       "),
    (" INTEGER", " HELTAL "),
    (" FLOAT RANGE", " TAL        "),
    (" FLOAT", " TAL  "),
    (" TEXT", " TEKST"),
]
_RANGES = [(re.compile(r"(\d+)<=x<=(\d+)"), r"\1-\2"), (re.compile(r"x>=(\d+)"), r"mindst \1"), (re.compile(r"x<=(\d+)"), r"højst \1")]


def _danish_help(text: str) -> str:
    for english, danish in HELP_DANISH:
        text = text.replace(english, danish)
    for pattern, danish in _RANGES:
        text = pattern.sub(danish, text)
    return text


class DanishCommand(click.Command):
    """A command whose help and usage are in Danish."""

    def get_help(self, ctx: click.Context) -> str:
        return _danish_help(super().get_help(ctx))

    def get_usage(self, ctx: click.Context) -> str:
        return _danish_help(super().get_usage(ctx))


class DanishGroup(DanishCommand, click.Group):
    command_class = DanishCommand


@click.group(cls=DanishGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Vis pakkens version, regelsættets version og revision og hvor reglerne læses fra.",
)
def main() -> None:
    """Landsbyggefondens boligsociale regler som kode: klassifikation efter almenboligloven § 61 a og
    § 61 b, støtte efter § 91 a, LBF's prioritering og ansøgningens betingelser.

    \b
    Reglerne findes som i git:
      1. --regler MAPPE, ellers miljøvariablen LBF_RULES_DIR (det, du beder om, vinder);
      2. ellers rules/ i det regelrepositorium, du står i (arbejdsmappen eller en mappe over den);
      3. ellers de regler, der følger med pakken (ikke for lint, test og impact).
    Er reglerne ikke dem i repositoriet, du står i, siger teksten hvor de kom fra.
    """


@main.command()
@click.argument("sager", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dato", callback=_date, metavar="ÅÅÅÅ-MM-DD", help="Vurdér på denne dato i stedet for sagens egen dato.")
@click.option(
    "--format", "fmt", type=Formats("batch"), default="tekst", show_default=True, help="Læsbar tekst eller én JSON-linje pr. sag."
)
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help=REGLER_HELP)
@click.option("--uden-spor", is_flag=True, help="Udelad det fulde spor (kun JSON).")
@click.option(
    "--kvittering",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Skriv en kvittering (JSON) med alt, der skal til for at genskabe afgørelserne.",
)
@click.option(
    "--engine",
    "--motor",
    "engine",
    type=click.Choice(["standard", "durable"]),
    default="standard",
    show_default=True,
    help="durable: den uafhængige krydstjek-motor på durable-rules.",
)
@JOBS_OPTION
def check(
    sager: tuple[Path, ...],
    dato: dt.date | None,
    fmt: str,
    regler: Path | None,
    uden_spor: bool,
    kvittering: Path | None,
    engine: str,
    jobs: int,
) -> None:
    """Vurdér en eller flere sager (filer, mapper, JSON Lines eller YAML med flere dokumenter)."""
    from . import batch
    from .cases import CaseReader

    ruleset, source = _ruleset(regler, note_on_stdout=fmt == "tekst")
    first_line = FirstLine(source, fmt == "tekst")
    reader = CaseReader(list(sager), ruleset)
    if kvittering:
        _check_output(kvittering, reader.paths, ruleset.root, "kvitteringen")
    job = batch.Job(ruleset, dato, fmt, trace=not uden_spor)
    engine_process = None
    if engine == "durable":
        from .durable_engine import IsolatedDurable, available

        reason = available() or ("kvitteringer skrives kun med standardmotoren, som 'replay' genberegner med" if kvittering else None)
        reason = reason or ("--jobs kan kun bruges med standardmotoren" if jobs > 1 else None)
        if reason:
            raise UsageError(reason)
        engine_process = IsolatedDurable(ruleset)
        job.decide = engine_process.decide
    with contextlib.ExitStack() as stack:
        receipts = None
        if kvittering:
            from .receipts import ReceiptWriter, git_state, make_receipt

            git = git_state(ruleset.root)
            receipts = stack.enter_context(ReceiptWriter(kvittering))
            job.receipt = functools.partial(_receipt, make_receipt, ruleset, dato, git)
        if engine_process is not None:
            stack.callback(engine_process.close)
        out = sys.stdout.buffer
        for number, (printed, receipt) in enumerate(batch.run(job, reader, jobs)):
            if receipts is not None and receipt is not None:
                receipts.add(receipt)
            if isinstance(printed, bytes):
                out.write(printed)
            else:
                first_line()
                if number:
                    click.echo("─" * 72)
                click.echo(printed, nl=False)
    if receipts is not None and receipts.count:
        click.echo(f"Kvittering for {receipts.count} afgørelse(r) skrevet til {plain(kvittering)}", err=True)
    if reader.failures:
        raise SystemExit(EXIT_INPUT)


def _receipt(make_receipt, ruleset, day, git, case: dict, document: dict) -> dict:
    return make_receipt(ruleset, case, document, day, git)


def _check_output(path: Path, inputs: list[Path], rules_root: Path, what: str) -> None:
    """An output file is checked before any work: a regular file or a new one in a writable folder,
    not one of the inputs and not inside the rule folder (it would change the rules' revision)."""
    from .safefiles import check_target

    check_target(path, inputs, what)
    folder = (path.parent if str(path.parent) else Path(".")).resolve()
    root = rules_root.resolve()
    if folder == root or root in folder.parents:
        raise UsageError(f"{plain(path)}: {what} må ikke skrives i regelmappen")


def _number(kind: str, low: float | None = None, high: float | None = None):
    """A click callback reading an option through the one number layer (lbf_rules.numbers)."""
    from .numbers import NumberError, parse

    def callback(_ctx, _param, value: str | None):
        if value is None:
            return None
        try:
            number = parse(value, kind)
        except NumberError as exc:
            raise click.BadParameter(exc.message) from None
        if (low is not None and number < low) or (high is not None and number > high):
            raise click.BadParameter(f"'{plain(value, 40)}' ligger uden for {low:g}-{high:g}")
        return number

    return callback


@main.command()
@click.argument("sager", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--ramme", callback=_number("kroner"), metavar="BELØB", help="Årlig ramme i kroner, der fordeles efter rangordenen (fx 140.000.000)."
)
@click.option("--dato", callback=_date, metavar="ÅÅÅÅ-MM-DD", help="Vurdér alle sager på denne dato (standard: hver sags egen dato).")
@click.option("--format", "fmt", type=Formats("render_portfolio"), default="tekst", show_default=True)
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help=REGLER_HELP)
def prioriter(sager: tuple[Path, ...], ramme: int | None, dato: dt.date | None, fmt: str, regler: Path | None) -> None:
    """Rangordn en portefølje af områder til én bevillingsrunde og fordel eventuelt en årlig ramme."""
    from .cases import CaseReader
    from .portfolio import funding_round, rank
    from .render_portfolio import FORMATS

    ruleset, source = _ruleset(regler, note_on_stdout=fmt == "tekst")
    first_line = FirstLine(source, fmt == "tekst")
    reader = CaseReader(list(sager), ruleset)
    seen: set[str] = set()

    def cases():
        """The valid cases, one at a time (only a summary of each is kept); an id only once."""
        for item in reader:
            if item.data["id"] in seen:
                raise UsageError(f"sags-id '{item.data['id']}' forekommer flere gange i porteføljen")
            seen.add(item.data["id"])
            yield item.data

    ranked = rank(ruleset, cases(), dato)
    if reader.failures:
        raise SystemExit(EXIT_INPUT)
    first_line()
    click.echo(FORMATS[fmt](ranked, funding_round(ruleset, ranked, ramme, dato)), nl=False)


@main.command()
@click.option(
    "--base", "base_ref", required=True, metavar="GIT-REF", help="Sammenlign med reglerne ved denne git-revision (fx main eller HEAD)."
)
@click.argument("sager", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=Formats("impact"), default="markdown", show_default=True)
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help=REPOSITORY_REGLER_HELP)
@JOBS_OPTION
def impact(base_ref: str, sager: tuple[Path, ...], fmt: str, regler: Path | None, jobs: int) -> None:
    """Vis hvilke sager der får et andet udfald med reglerne i arbejdstræet end ved GIT-REF.

    Ændringerne grupperes efter den regelversion, der forårsagede dem. Standard: alle sager i cases/
    ved siden af reglerne.
    """
    import tempfile

    from . import impact as report
    from .cases import CaseReader
    from .gitrules import rules_at
    from .ruleset import load_ruleset

    head, source = _ruleset(regler, "impact")
    root = source.rules
    keep: list[tempfile.TemporaryDirectory] = []
    try:
        base = load_ruleset(rules_at(root, base_ref, f"--base {base_ref}", keep))
        reader = CaseReader(list(sager) or [source.cases()], head)
        groups, total = report.compare(base, head, reader, jobs)
        if reader.failures:
            raise SystemExit(EXIT_INPUT)
    finally:
        for tmp in keep:
            tmp.cleanup()
    out = report.FORMATS[fmt](groups, total, base_ref)
    click.echo(out, nl=False)


@main.command()
@click.option("--antal", type=click.IntRange(1, 10_000_000), default=1000, show_default=True, help="Antal sager.")
@click.option("--seed", type=int, default=1, show_default=True, help="Samme frø og regler giver samme korpus.")
@click.option(
    "--ud", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Skriv JSON Lines hertil (standard: standardoutput)."
)
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help=REGLER_HELP)
def generate(antal: int, seed: int, ud: Path | None, regler: Path | None) -> None:
    """Skriv et syntetisk korpus (JSON Lines), tæt omkring hver tærskel og versionsdato i reglerne."""
    from .generate import corpus, write_jsonl

    ruleset, _ = _ruleset(regler)
    if ud is None:
        write_jsonl(corpus(ruleset, antal, seed), sys.stdout)
        return
    from .safefiles import AtomicWriter

    _check_output(ud, [], ruleset.root, "korpusset")
    with AtomicWriter(ud) as out:
        count = write_jsonl(corpus(ruleset, antal, seed), out)
    click.echo(f"skrev {count} sager til {plain(ud)}", err=True)


@main.command()
@click.argument("stier", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=Formats("lint"), default="tekst", show_default=True, help="github: annotationer til GitHub Actions.")
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help=REPOSITORY_REGLER_HELP)
def lint(stier: tuple[Path, ...], fmt: str, regler: Path | None) -> None:
    """Tjek regelmappen (eller de nævnte filer) og skriv ét fund pr. linje: fil:linje:kolonne: kode besked.

    Exit-status 0: ingen fund; 1: fund; 2: forkert brug eller intet regelrepositorium.
    """
    from .lint import FORMATS, lint_paths

    if not stier:
        stier = (_discover(regler, "lint").rules,)
    findings = lint_paths(list(stier))
    for finding in findings:
        click.echo(FORMATS[fmt](finding))
    if findings:
        errors = sum(1 for f in findings if f.severity == "error")
        click.echo(f"{len(findings)} fund ({errors} fejl, {len(findings) - errors} advarsler)", err=True)
        raise SystemExit(1)


@main.command(name="test")
@click.argument("sager", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--coverage", "--daekning", "coverage", is_flag=True, help="Vis dækning: regelversioner brugt og betingelser set sand og falsk."
)
@click.option(
    "--threshold",
    "--graense",
    "threshold",
    callback=_number("procent", 0, 100),
    default=None,
    metavar="PROCENT",
    help="Fejl, hvis dækningen er under denne procent (0-100).",
)
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help=REPOSITORY_REGLER_HELP)
def test_cases(sager: tuple[Path, ...], coverage: bool, threshold: float | None, regler: Path | None) -> None:
    """Kør alle sager med forventet udfald (standard: cases/ ved siden af reglerne) og vis hver afvigelse med sporet.

    Exit-status 0: alle som forventet (og dækningen over grænsen); 1: afvigelser eller for lav dækning.
    """
    from . import casetest
    from .cases import CaseReader

    ruleset, source = _ruleset(regler, "test", note_on_stdout=True)
    FirstLine(source, True)()
    reader = CaseReader(list(sager) or [source.cases()], ruleset)
    result = casetest.run(ruleset, reader, click.echo)
    cov, passed, failed = result.coverage, result.passed, result.failed
    if reader.failures:
        raise SystemExit(EXIT_INPUT)
    if coverage or threshold is not None:
        for line in cov.report():
            click.echo(line)
    click.echo(f"{passed} passed, {failed} failed")
    if failed or (threshold is not None and cov.percent() < threshold):
        if threshold is not None and cov.percent() < threshold:
            click.echo(f"Dækningen {cov.percent():.1f} % er under grænsen {threshold:g} %", err=True)
        raise SystemExit(1)


@main.command()
@click.argument("regel")
@click.option("--dato", callback=_date, metavar="ÅÅÅÅ-MM-DD", help="Vis den version, der gælder på datoen (standard: i dag).")
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help=REGLER_HELP)
def explain(regel: str, dato: dt.date | None, regler: Path | None) -> None:
    """Forklar en regel: titel, kilde, gældende version, betingelser i ord og historik.

    REGEL er reglens id (fx abl.61a.udsat_boligomraade) eller det faktum, den afgør.
    """
    from .explain import explain as render
    from .explain import find_rule, suggestions

    ruleset, source = _ruleset(regler, note_on_stdout=True)
    rule = find_rule(ruleset, regel)
    if rule is None:
        found = suggestions(ruleset, regel)
        hint = f"; mente du {' eller '.join(found)}?" if found else ""
        raise UsageError(f"ukendt regel '{plain(regel, 80)}'{hint} Se alle regler med 'lbf-rules regler'.")
    FirstLine(source, True)()
    click.echo(render(ruleset, rule, dato or dt.date.today()), nl=False)


@main.command()
@click.option("--dato", callback=_date, metavar="ÅÅÅÅ-MM-DD", help="Markér de versioner, der gælder på datoen (standard: i dag).")
@click.option("--format", "fmt", type=click.Choice(["tekst", "json"]), default="tekst", show_default=True, help="Læsbar tekst eller JSON.")
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help=REGLER_HELP)
def regler(dato: dt.date | None, fmt: str, regler: Path | None) -> None:
    """Vis alle regler: id, titel, art (lov, regulativ eller praksis), det faktum de afgør og deres versioner."""
    from .explain import rule_list, rule_list_text
    from .jsonout import dumps

    ruleset, source = _ruleset(regler, note_on_stdout=fmt == "tekst")
    rows = rule_list(ruleset, dato or dt.date.today())
    if fmt == "json":
        click.echo(dumps(rows))
        return
    FirstLine(source, True)()
    click.echo(rule_list_text(rows), nl=False)


@main.command()
@click.argument("kvittering", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--regler",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Regelmappen i det git-repositorium, historikken hentes fra. Standard: LBF_RULES_DIR, ellers rules/ i det "
    "regelrepositorium, du står i, ellers pakkens regler.",
)
def replay(kvittering: Path, regler: Path | None) -> None:
    """Genberegn afgørelserne i en kvittering med præcis de regler, den nævner, og sig om de er identiske.

    Exit-status 0: alle identiske; 1: mindst én afviger; 2: kvitteringen eller reglerne kan ikke bruges.
    """
    from .receipts import Replay, read_receipts

    replayer = Replay(_discover(regler).rules)
    differing = 0
    try:
        for number, (line, receipt) in enumerate(read_receipts(kvittering), start=1):
            same, origin, diffs = replayer.check(receipt, f"{kvittering}: kvittering {number}", line)
            case_id = plain(receipt["sag"].get("id", "?"), 100)
            revision = receipt["regelsaet"]["revision"]
            if same:
                click.echo(f"✓ {case_id}: identisk afgørelse (regelsæt {revision} fra {origin})")
            else:
                differing += 1
                click.echo(f"✗ {case_id}: AFVIGER (regelsæt {revision} fra {origin}): {'; '.join(diffs)}")
    finally:
        replayer.close()
    if differing:
        raise SystemExit(1)


LOOPBACK = ("127.0.0.1", "::1", "localhost")


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Adressen, der lyttes på. Standard er kun denne maskine; tjenesten har ingen adgangskontrol, "
    "så læg en proxy foran, hvis andre skal bruge den.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help=REGLER_HELP)
@click.option(
    "--maks-bytes",
    type=click.IntRange(1024, 64 * 1024 * 1024),
    default=1024 * 1024,
    show_default=True,
    help="Højeste størrelse af én sag (og af én linje i /v1/vurderinger).",
)
@click.option(
    "--maks-batch-bytes",
    type=click.IntRange(1024, 1024 * 1024 * 1024),
    default=64 * 1024 * 1024,
    show_default=True,
    help="Højeste størrelse af indholdet til /v1/vurderinger.",
)
@click.option(
    "--tidsgraense",
    type=click.FloatRange(0.1, 3600),
    default=10.0,
    show_default=True,
    help="Sekunder pr. anmodning, før den afbrydes med en fejl.",
)
@click.option(
    "--genindlaesning",
    is_flag=True,
    help="Slå POST /v1/genindlaes til, der indlæser reglerne igen (ellers kræver ændrede regler en genstart).",
)
@click.option("--adgangslog", is_flag=True, help="Skriv en linje pr. anmodning på standardfejl.")
def serve(
    host: str,
    port: int,
    regler: Path | None,
    maks_bytes: int,
    maks_batch_bytes: int,
    tidsgraense: float,
    genindlaesning: bool,
    adgangslog: bool,
) -> None:
    """Kør reglerne som en HTTP-tjeneste for sagssystemer (POST /v1/vurdering m.fl.; se /openapi.json).

    Kræver de valgfrie pakker: pip install 'lbf-rules[serve]'. Reglerne indlæses én gang ved start.
    """
    try:
        from .server import run as run_server
    except ImportError as exc:
        raise UsageError(
            f"'lbf-rules serve' kræver de valgfrie pakker starlette og uvicorn ({exc.name} mangler); "
            "installér dem med: pip install 'lbf-rules[serve]'"
        ) from None
    from .api import Limits, Service
    from .paths import discover

    source = discover(regler)
    service = Service(source)  # the rules are loaded and checked before the port opens: errors exit 2
    url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    click.echo(
        f"lbf-rules serve: {url} (regelsæt {service.ruleset.version}, revision {service.ruleset.revision}; regler fra {source.where()})",
        err=True,
    )
    if host not in LOOPBACK:
        click.echo(f"advarsel: tjenesten lytter på {host} og har ingen adgangskontrol; læg en proxy med adgangskontrol foran", err=True)
    run_server(service, host, port, Limits(maks_bytes, maks_batch_bytes, tidsgraense), genindlaesning, adgangslog)


def run() -> None:
    """Console-script entry: turn every error into one line and an exit status."""
    try:
        main.main(standalone_mode=False, prog_name="lbf-rules")
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.ClickException as exc:
        click.echo(f"fejl: {plain(danish_usage(exc.format_message()), 1000)}", err=True)
        if isinstance(exc, click.UsageError):
            click.echo("Se 'lbf-rules --help'.", err=True)
        raise SystemExit(EXIT_INPUT) from None
    except click.exceptions.Abort:
        click.echo("afbrudt", err=True)
        raise SystemExit(130) from None
    except InputError as exc:
        click.echo(f"fejl: {exc.oneline()}", err=True)
        raise SystemExit(EXIT_INPUT) from None
    except UsageError as exc:
        click.echo(f"fejl: {plain(exc, 1000)}", err=True)
        raise SystemExit(EXIT_INPUT) from None
    except EngineFailure as exc:
        click.echo(f"fejl: {plain(exc, 1000)}", err=True)
        raise SystemExit(EXIT_INTERNAL) from None
    except BrokenPipeError:
        sys.stderr.close()
        raise SystemExit(0) from None
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a clean line
        if os.environ.get("LBF_DEBUG"):
            traceback.print_exc()
        click.echo(f"intern fejl i lbf-rules ({type(exc).__name__}: {plain(exc, 300)}); kør med LBF_DEBUG=1 for detaljer", err=True)
        raise SystemExit(EXIT_INTERNAL) from None
