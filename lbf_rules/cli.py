"""The `lbf-rules` command line.

Exit status: 0 when every case was evaluated, 2 for invalid input or usage (one line on stderr
naming the file and the line or field), 70 for an internal error (one line; set LBF_DEBUG=1 for
the traceback). Never a bare traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
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
            message = danish + message[len(english):]
            break
    message = message.replace(" is not one of ", " er ikke en af ").replace(" requires an argument", " kræver en værdi")
    return message.replace("Did you mean", "Mente du").replace("(Possible options:", "(mulige:")


def _date(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' er ikke en gyldig dato; forventede ÅÅÅÅ-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lbf-rules", message="lbf-rules %(version)s")
def main() -> None:
    """Landsbyggefondens boligsociale regler som kode: klassifikation efter almenboligloven § 61 a og
    § 61 b, støtte efter § 91 a, LBF's prioritering og ansøgningens betingelser."""


@main.command()
@click.argument("sager", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dato", callback=_date, metavar="ÅÅÅÅ-MM-DD", help="Vurdér på denne dato i stedet for sagens egen dato.")
@click.option("--format", "fmt", type=click.Choice(["tekst", "json"]), default="tekst", show_default=True, help="Læsbar tekst eller én JSON-linje pr. sag.")
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help="Regelmappen (standard: projektets rules/).")
@click.option("--uden-spor", is_flag=True, help="Udelad det fulde spor (kun JSON).")
@click.option("--kvittering", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Skriv en kvittering (JSON) med alt, der skal til for at genskabe afgørelserne.")
@click.option("--engine", "--motor", "engine", type=click.Choice(["standard", "durable"]), default="standard", show_default=True, help="durable: den uafhængige krydstjek-motor på durable-rules.")
def check(sager: tuple[Path, ...], dato: dt.date | None, fmt: str, regler: Path | None, uden_spor: bool, kvittering: Path | None, engine: str) -> None:
    """Vurdér en eller flere sager (filer, mapper, JSON Lines eller YAML med flere dokumenter)."""
    from .cases import CaseReader
    from .evaluator import evaluate
    from .paths import rules_dir
    from .render_text import TextRenderer
    from .ruleset import load_ruleset

    ruleset = load_ruleset(regler or rules_dir())
    reader = CaseReader(list(sager), ruleset)
    if kvittering:
        _check_output(kvittering, reader.paths, ruleset.root, "kvitteringen")
    renderer = TextRenderer(ruleset)
    run = functools.partial(evaluate, ruleset, day=dato, trace=not uden_spor or fmt == "tekst")
    engine_process = None
    if engine == "durable":
        from .durable_engine import IsolatedDurable, available

        reason = available() or ("kvitteringer skrives kun med standardmotoren, som 'replay' genberegner med" if kvittering else None)
        if reason:
            raise UsageError(reason)
        engine_process = IsolatedDurable(ruleset)
        run = functools.partial(engine_process.evaluate, day=dato)
    with contextlib.ExitStack() as stack:
        receipts = None
        if kvittering:
            from .receipts import ReceiptWriter, git_state, make_receipt

            git = git_state(ruleset.root)
            receipts = stack.enter_context(ReceiptWriter(kvittering))
        if engine_process is not None:
            stack.callback(engine_process.close)
        for number, item in enumerate(reader):
            decision = run(item.data)
            if receipts is not None:
                receipts.add(make_receipt(ruleset, item.data, decision, dato, git))
            if fmt == "json":
                click.echo(json.dumps(decision, ensure_ascii=False, separators=(",", ":")))
            else:
                if number:
                    click.echo("─" * 72)
                click.echo(renderer.render(decision), nl=False)
    if receipts is not None and receipts.count:
        click.echo(f"Kvittering for {receipts.count} afgørelse(r) skrevet til {plain(kvittering)}", err=True)
    if reader.failures:
        raise SystemExit(EXIT_INPUT)


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
@click.option("--ramme", callback=_number("kroner"), metavar="BELØB", help="Årlig ramme i kroner, der fordeles efter rangordenen (fx 140.000.000).")
@click.option("--dato", callback=_date, metavar="ÅÅÅÅ-MM-DD", help="Vurdér alle sager på denne dato (standard: hver sags egen dato).")
@click.option("--format", "fmt", type=click.Choice(["tekst", "markdown", "csv", "json"]), default="tekst", show_default=True)
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help="Regelmappen (standard: projektets rules/).")
def prioriter(sager: tuple[Path, ...], ramme: int | None, dato: dt.date | None, fmt: str, regler: Path | None) -> None:
    """Rangordn en portefølje af områder til én bevillingsrunde og fordel eventuelt en årlig ramme."""
    from .cases import CaseReader
    from .paths import rules_dir
    from .portfolio import SHARE_PARAMETERS, allocate, rank
    from .render_portfolio import FORMATS
    from .ruleset import load_ruleset

    ruleset = load_ruleset(regler or rules_dir())
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
    days = {r.case["id"]: dato or dt.date.fromisoformat(r.case["dato"]) for r in ranked}
    round_info: dict = {"dato": dato.isoformat() if dato else "sagernes egne datoer", "regelsaet": {"version": ruleset.version, "revision": ruleset.revision}, "ramme_kr": ramme}
    if ramme is not None:
        left = allocate(ruleset, ranked, ramme, days)
        round_info.update(
            fordelt_kr=ramme - left, rest_kr=left,
            uden_for_rammen=", ".join(r.case["navn"] for r in ranked if r.state == "uden_for_rammen"),
            andele_pct={tier: ruleset.parameters[p].value_at(dato or max(days.values())) for tier, p in SHARE_PARAMETERS.items()},
        )
    click.echo(FORMATS[fmt](ranked, round_info), nl=False)


@main.command()
@click.option("--base", "base_ref", required=True, metavar="GIT-REF", help="Sammenlign med reglerne ved denne git-revision (fx main eller HEAD).")
@click.argument("sager", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help="Regelmappen i arbejdstræet (standard: projektets rules/).")
def impact(base_ref: str, sager: tuple[Path, ...], fmt: str, regler: Path | None) -> None:
    """Vis hvilke sager der får et andet udfald med reglerne i arbejdstræet end ved GIT-REF.

    Ændringerne grupperes efter den regelversion, der forårsagede dem. Standard: alle sager i cases/.
    """
    import tempfile

    from . import impact as report
    from .cases import CaseReader
    from .gitrules import rules_at
    from .paths import PROJECT_ROOT, rules_dir
    from .ruleset import load_ruleset

    root = regler or rules_dir()
    head = load_ruleset(root)
    keep: list[tempfile.TemporaryDirectory] = []
    try:
        base = load_ruleset(rules_at(root, base_ref, f"--base {base_ref}", keep))
        reader = CaseReader(list(sager) or [PROJECT_ROOT / "cases"], head)
        groups, total = report.compare(base, head, (item.data for item in reader))
        if reader.failures:
            raise SystemExit(EXIT_INPUT)
    finally:
        for tmp in keep:
            tmp.cleanup()
    out = report.markdown(groups, total, base_ref) if fmt == "markdown" else report.to_json(groups, total, base_ref)
    click.echo(out, nl=False)


@main.command()
@click.option("--antal", type=click.IntRange(1, 10_000_000), default=1000, show_default=True, help="Antal sager.")
@click.option("--seed", type=int, default=1, show_default=True, help="Samme frø og regler giver samme korpus.")
@click.option("--ud", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Skriv JSON Lines hertil (standard: standardoutput).")
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help="Regelmappen (standard: projektets rules/).")
def generate(antal: int, seed: int, ud: Path | None, regler: Path | None) -> None:
    """Skriv et syntetisk korpus (JSON Lines), tæt omkring hver tærskel og versionsdato i reglerne."""
    from .generate import corpus, write_jsonl
    from .paths import rules_dir
    from .ruleset import load_ruleset

    ruleset = load_ruleset(regler or rules_dir())
    if ud is None:
        write_jsonl(corpus(ruleset, antal, seed), click.get_text_stream("stdout"))
        return
    from .safefiles import AtomicWriter

    _check_output(ud, [], ruleset.root, "korpusset")
    with AtomicWriter(ud) as out:
        count = write_jsonl(corpus(ruleset, antal, seed), out)
    click.echo(f"skrev {count} sager til {plain(ud)}", err=True)


@main.command()
@click.argument("stier", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tekst", "github"]), default="tekst", show_default=True, help="github: annotationer til GitHub Actions.")
def lint(stier: tuple[Path, ...], fmt: str) -> None:
    """Tjek regelmappen (eller de nævnte filer) og skriv ét fund pr. linje: fil:linje:kolonne: kode besked.

    Exit-status 0: ingen fund; 1: fund; 2: forkert brug.
    """
    from .lint import lint_paths
    from .paths import rules_dir

    findings = lint_paths(list(stier) or [rules_dir()])
    for finding in findings:
        click.echo(finding.github() if fmt == "github" else finding.text())
    if findings:
        errors = sum(1 for f in findings if f.severity == "error")
        click.echo(f"{len(findings)} fund ({errors} fejl, {len(findings) - errors} advarsler)", err=True)
        raise SystemExit(1)


@main.command(name="test")
@click.argument("sager", nargs=-1, type=click.Path(path_type=Path))
@click.option("--coverage", "--daekning", "coverage", is_flag=True, help="Vis dækning: regelversioner brugt og betingelser set sand og falsk.")
@click.option("--threshold", "--graense", "threshold", callback=_number("procent", 0, 100), default=None, metavar="PROCENT", help="Fejl, hvis dækningen er under denne procent (0-100).")
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help="Regelmappen (standard: projektets rules/).")
def test_cases(sager: tuple[Path, ...], coverage: bool, threshold: float | None, regler: Path | None) -> None:
    """Kør alle sager med forventet udfald (standard: cases/) og vis hver afvigelse med sporet.

    Exit-status 0: alle som forventet (og dækningen over grænsen); 1: afvigelser eller for lav dækning.
    """
    from .casetest import Coverage, mismatches
    from .cases import CaseReader
    from .evaluator import evaluate
    from .paths import PROJECT_ROOT, rules_dir
    from .render_text import TextRenderer
    from .ruleset import load_ruleset

    ruleset = load_ruleset(regler or rules_dir())
    renderer = TextRenderer(ruleset)
    cov = Coverage.for_ruleset(ruleset)
    passed = failed = 0
    reader = CaseReader(list(sager) or [PROJECT_ROOT / "cases"], ruleset)
    for item in reader:
        if "forventet" not in item.data:
            continue
        decision = evaluate(ruleset, item.data)
        cov.record(decision)
        wrong = mismatches(item.data, decision)
        if not wrong:
            passed += 1
            continue
        failed += 1
        click.echo(f"✗ {item.data['id']} ({plain(item.source)}:{item.line})")
        for what, want, have in wrong:
            click.echo(f"    {what}: forventet {json.dumps(want, ensure_ascii=False)}, fik {json.dumps(have, ensure_ascii=False)}")
        click.echo("    Spor:")
        for line in renderer.render(decision).splitlines():
            click.echo(f"      {line}")
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
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help="Regelmappen (standard: projektets rules/).")
def explain(regel: str, dato: dt.date | None, regler: Path | None) -> None:
    """Forklar en regel: titel, kilde, gældende version, betingelser i ord og historik.

    REGEL er reglens id (fx abl.61a.udsat_boligomraade) eller det faktum, den afgør.
    """
    import difflib

    from .explain import explain as render, find_rule
    from .paths import rules_dir
    from .ruleset import load_ruleset

    ruleset = load_ruleset(regler or rules_dir())
    rule = find_rule(ruleset, regel)
    if rule is None:
        names = sorted([r.id for r in ruleset.rules.values()] + list(ruleset.rules))
        guess = difflib.get_close_matches(regel, names, n=1)
        raise UsageError(f"ukendt regel '{regel}'" + (f"; mente du '{guess[0]}'?" if guess else ""))
    click.echo(render(ruleset, rule, dato or dt.date.today()), nl=False)


@main.command()
@click.argument("kvittering", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--regler", type=click.Path(path_type=Path, file_okay=False), default=None, help="Regelmappen i det git-repositorium, historikken hentes fra (standard: projektets rules/).")
def replay(kvittering: Path, regler: Path | None) -> None:
    """Genberegn afgørelserne i en kvittering med præcis de regler, den nævner, og sig om de er identiske.

    Exit-status 0: alle identiske; 1: mindst én afviger; 2: kvitteringen eller reglerne kan ikke bruges.
    """
    from .paths import rules_dir
    from .receipts import Replay, read_receipts

    replayer = Replay(regler or rules_dir())
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
