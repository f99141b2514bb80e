"""The rulebook site: built strictly from rules/ and cases/, tested in a real headless Chromium.

The browser is the one LBF_BROWSER names, else Debian's chromium (`make test` installs it) or Google
Chrome (tests/browser.py); Playwright drives it through executable_path and never downloads one. Screenshots go to test-artifacts/ (ignored by git).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lbf_rules.cases import expand, read_cases
from lbf_rules.evaluator import evaluate, outcomes
from tests.conftest import CASES, ROOT, RULES

ARTIFACTS = ROOT / "test-artifacts"
MKDOCS = Path(sys.executable).parent / "mkdocs"
# The stdlib test server's keep-alive sockets are collected late; that is harness noise, not product behaviour.
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build(target: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(MKDOCS), "build", "--strict", "-q", "-d", str(target)], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    result = build(target)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def heading(locator) -> str:
    """A heading's text without the permalink sign MkDocs adds."""
    return locator.inner_text().rstrip("¶").strip()


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    # The keep-alive sockets of the stdlib server are collected late: collect them here, under this
    # module's warning filter, rather than in whichever test module runs next.
    import gc

    gc.collect()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.browser import executable as browser_executable, missing

    executable = browser_executable()
    if executable is None:
        pytest.fail(missing())
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    import gc

    gc.collect()  # the closed connections' sockets, under this module's warning filter


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    # Offline: any request that is not to the local server fails the test.
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not outside, f"the site tried to reach the network: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


def test_home_page_renders_in_danish(page, server):
    page.goto(f"{server}/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert heading(page.locator("h1").first) == "Landsbyggefondens boligsociale regler"
    page.screenshot(path=str(ARTIFACTS / "forside.png"), full_page=True)


def test_rule_page_shows_sources_and_a_threshold_table_for_each_version(page, server):
    page.goto(f"{server}/regler/abl.61a.parallelsamfund/")
    assert heading(page.locator("h1")).startswith("Parallelsamfund")
    # for applicants: the version in force, its conditions in words with the computed threshold
    current = page.locator("article h2").first
    assert heading(current) == "Gælder nu: Parallelsamfund"
    assert "(krav: over 50 %)" in current.locator("xpath=following::ul[1]").inner_text()
    # for jurists, collapsed: a condition table per version with the requirement from the rule data
    page.locator("details.jurister > summary").click()
    tables = page.locator("details.jurister table", has=page.locator("th", has_text="Betingelse"))
    assert tables.count() == 4
    for i in range(4):
        assert tables.nth(i).locator("td", has_text="over 50 %").count() >= 1
    # every version links to the law as enacted (Retsinformation ELI), not to today's text
    for eli in ("https://www.retsinformation.dk/eli/lta/2018/1322", "https://www.retsinformation.dk/eli/lta/2021/2157"):
        assert page.locator(f"a[href='{eli}']").count() >= 1
    assert page.locator("a[href*='danskelove.dk']").count() == 0
    assert "navnet er ændret fra Ghettoområde til Parallelsamfund" in page.content()
    page.screenshot(path=str(ARTIFACTS / "regel-parallelsamfund.png"), full_page=True)


def test_practice_is_marked_as_practice(page, server):
    page.goto(f"{server}/regler/lbf.praksis.paa_vippen/")
    warning = page.locator(".admonition.warning")
    assert "LBF-praksis, ikke lov" in warning.inner_text()
    assert "på vippen" in warning.inner_text() and "(i dag 2)" in warning.inner_text()


def test_navigation_from_home_to_a_rule(page, server):
    page.goto(f"{server}/")
    page.locator("nav a", has_text="Oversigt").first.click()
    assert heading(page.locator("h1")) == "Reglerne"
    page.locator("article a", has_text="Forebyggelsesområde").first.click()
    page.wait_for_url(re.compile(r"abl\.61b\.forebyggelsesomraade"))
    assert heading(page.locator("h1")) == "Forebyggelsesområde"


def test_danish_search_finds_the_rule(page, server):
    page.goto(f"{server}/")
    # Type as a person does, once the page (and the search index) has loaded: a query set in one go
    # before Material's search is wired up is silently missed.
    page.wait_for_load_state("networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("omdannelsesområde", delay=10)
    results = page.locator(".md-search-result__link")
    results.first.wait_for(timeout=15000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(min(results.count(), 10))]
    assert any("abl.61a.omdannelsesomraade" in (h or "") for h in hrefs), hrefs
    page.screenshot(path=str(ARTIFACTS / "soegning.png"))



def test_self_check_agrees_with_the_evaluator_on_every_case(page, server, ruleset):
    page.goto(f"{server}/selvtjek/")
    cases = [item.data for path in expand([CASES]) for item in read_cases(path)]
    got = page.evaluate("cases => cases.map(c => LBFSelvtjek.decide(window.LBF_REGLER, c))", cases)
    assert len(got) == len(cases) > 150
    for case, browser_decision in zip(cases, got):
        expected = evaluate(ruleset, case, trace=False)
        assert outcomes(browser_decision) == outcomes(expected), case["id"]
        assert sorted(browser_decision["mangler"]) == sorted(expected["mangler"]), case["id"]


FORM_CASES = [
    {"dato": "2019-12-01", "beboere": 1800, "afgraenset": "ja", "kriterier": {"andel_ikkevestlige_pct": 57, "andel_uden_for_arbejdsmarked_pct": 41.2, "andel_doemte_pct": 2.07, "andel_kun_grundskole_pct": 70.2, "indkomst_ift_region_pct": 57.7}, "historik": [2015, 2016, 2017, 2018]},
    {"dato": "2022-12-01", "beboere": 1500, "kriterier": {"andel_ikkevestlige_pct": 35, "andel_uden_for_arbejdsmarked_pct": 35, "andel_kun_grundskole_pct": 55, "indkomst_ift_region_pct": 60, "andel_doemte_pct": 0.5}, "problemer": "ja"},
    {"dato": "2014-12-01", "beboere": 999, "kriterier": {"andel_ikkevestlige_pct": 80, "andel_uden_for_arbejdsmarked_pct": 50}},
    {"dato": "2023-06-01", "kriterier": {"andel_uden_for_arbejdsmarked_pct": 45}, "tilknytning": "nej"},
]


PROBLEM_FACTS = ["problem_hoej_husleje", "problem_hoej_flyttefrekvens", "problem_sociale_problemer", "problem_vold",
                 "problem_haervaerk", "problem_nedslidning", "problem_andet"]


@pytest.mark.parametrize("form", FORM_CASES, ids=[f["dato"] for f in FORM_CASES])
def test_self_check_form_answers_like_the_command_line(page, server, run_cli, tmp_path, form):
    page.goto(f"{server}/selvtjek/")
    page.fill("#dato", form["dato"])
    if "beboere" in form:
        page.fill("#felt-beboere", str(form["beboere"]))
    if "afgraenset" in form:
        page.select_option("#felt-afgraenset_2010", form["afgraenset"])
    for name, value in form["kriterier"].items():
        page.fill(f"#felt-{name}", str(value).replace(".", ","))
    if "historik" in form:
        page.fill("#felt-historik", ", ".join(map(str, form["historik"])))
    if "problemer" in form:  # "ja": only "other substantial problems", each problem its own field
        for fact in PROBLEM_FACTS:
            page.select_option(f"#felt-{fact}", "ja" if fact == "problem_andet" else "nej")
    if "tilknytning" in form:
        page.select_option("#felt-i_tilknytning_til_udsat_omraade", form["tilknytning"])
    page.click("#selvtjek-formular button[type=submit]")
    page.locator("#resultat h2").first.wait_for()
    case = {"id": "formular", "navn": "Formular", "dato": form["dato"], "kriterier": form["kriterier"]}
    if "beboere" in form:
        case["beboere"] = form["beboere"]
    if "afgraenset" in form:
        case["afgraenset_2010"] = form["afgraenset"] == "ja"
    if "historik" in form:
        case["historik"] = {"parallelsamfund": form["historik"]}
    if "problemer" in form:
        case["problemer"] = {p: p == "andre_vaesentlige_problemer" for p in ["hoej_husleje", "hoej_flyttefrekvens", "mange_beboere_med_sociale_problemer", "vold", "haervaerk", "nedslidning", "andre_vaesentlige_problemer"]}
    if "tilknytning" in form:
        case["i_tilknytning_til_udsat_omraade"] = form["tilknytning"] == "ja"
    assert page.evaluate("window.LBFSelvtjekSag") == case | {"id": "selvtjek", "navn": "Selvtjek"}
    (tmp_path / "sag.json").write_text(json.dumps(case), encoding="utf-8")
    cli = json.loads(run_cli("check", "--format", "json", tmp_path / "sag.json").stdout)
    headings = [heading(h) for h in page.locator("#resultat h3").all()]
    for entry in cli["klassifikation"].values():
        answer = {True: "JA", False: "NEJ", None: "KAN IKKE AFGØRES"}[entry["resultat"]]
        assert f"{entry['navn']}: {answer}" in headings
    if "stoetteberettiget" in cli:
        answer = {True: "JA", False: "NEJ", None: "KAN IKKE AFGØRES"}[cli["stoetteberettiget"]["resultat"]]
        assert heading(page.locator("#resultat h2").first) == f"Kan området få støtte efter § 91 a? {answer}"
    if "prioritet" in cli:
        assert f"Prioritet: {cli['prioritet'].get('vaerdi_navn', 'KAN IKKE AFGØRES')}" in headings
    page.screenshot(path=str(ARTIFACTS / f"selvtjek-{form['dato']}.png"), full_page=True)


# Numbers exactly as people type them, and what the self-check must make of them: the value used in
# the case, or the Danish message at the field (the same as the command line's, lbf_rules/numbers.py).
TYPED = [
    ("beboere", "1.200", 1200), ("beboere", "1 200", 1200), ("beboere", "abc", None), ("beboere", "-3", None),
    ("beboere", "45,2", None), ("beboere", "45.2", None),
    ("andel_ikkevestlige_pct", "55 %", 55), ("andel_ikkevestlige_pct", "45,2", 45.2), ("andel_ikkevestlige_pct", "45.2", 45.2),
    ("andel_ikkevestlige_pct", "1.200", None), ("andel_ikkevestlige_pct", "abc", None), ("andel_ikkevestlige_pct", "-3", None),
]


@pytest.mark.parametrize("field, text, value", TYPED, ids=[f"{f}={t}" for f, t, _ in TYPED])
def test_self_check_reads_numbers_as_people_type_them(page, server, field, text, value):
    from lbf_rules import numbers

    page.goto(f"{server}/selvtjek/")
    page.fill("#felt-beboere", "1500")
    page.fill(f"#felt-{field}", text)
    page.click("#selvtjek-formular button[type=submit]")
    page.locator("#resultat h2").first.wait_for()
    path = ["beboere"] if field == "beboere" else ["kriterier", field]
    if value is not None:
        case = page.evaluate("window.LBFSelvtjekSag")
        assert functools.reduce(lambda d, k: d[k], path, case) == value
        assert page.locator(f"#felt-{field}[aria-invalid=true]").count() == 0
        return
    kind = "antal" if field == "beboere" else "procent"
    with pytest.raises(numbers.NumberError) as refused:
        numbers.parse(text, kind)
    message = page.locator(f"#fejl-{field}").inner_text()
    assert message == refused.value.message[0].upper() + refused.value.message[1:] + "."
    assert page.locator(f"#felt-{field}").get_attribute("aria-invalid") == "true"
    assert heading(page.locator("#resultat h2").first) == "Ret de markerede felter"
    assert page.evaluate("window.LBFSelvtjekSidste") is None  # nothing computed from a half-read value
    assert "NaN" not in page.locator("#resultat").inner_text()


def test_self_check_answers_the_question_first_and_every_missing_fact_links_to_its_field(page, server, ruleset):
    page.goto(f"{server}/selvtjek/")
    fields = {e.get_attribute("data-felt") for e in page.locator("[data-felt]").all()}
    assert fields >= {".".join(f.field) for f in ruleset.facts.values()} | {"historik.parallelsamfund"}
    page.fill("#dato", "2022-12-01")
    page.fill("#felt-beboere", "1.200")
    page.select_option("#felt-afgraenset_2010", "ja")
    page.fill("#felt-andel_ikkevestlige_pct", "55 %")
    page.fill("#felt-andel_uden_for_arbejdsmarked_pct", "45")
    page.select_option("#felt-problem_hoej_husleje", "ja")
    page.click("#selvtjek-formular button[type=submit]")
    first = page.locator("#resultat h2").first
    first.wait_for()
    assert heading(first) == "Kan området få støtte efter § 91 a? JA"
    assert page.locator("#resultat > section").first.get_attribute("id") == "sammendrag"
    assert "høj husleje" in page.locator("#sammendrag .selvtjek-grund").inner_text()
    assert "LBF-praksis (antagelse)" in page.locator("#sammendrag").inner_text()
    links = page.locator("#resultat .selvtjek-mangler a").all()
    assert links
    for link in links:
        target = link.get_attribute("href")
        assert target.startswith("#felt-") and page.locator(target).count() == 1, target
        assert "_" not in link.inner_text()  # a Danish question, not a fact id
    application = page.locator("#sammendrag .selvtjek-mangler a", has_text="Deltager beliggenhedskommunen").first
    application.click()  # the application part opens and the field gets the focus
    assert page.locator("#del-ansoegning").evaluate("d => d.open")
    assert page.evaluate("document.activeElement.id") == "felt-bestyrelse_kommune"
    # No explanation contradicts the input: the problem typed as "yes" is ticked, each on its own line.
    text = page.locator("#resultat").inner_text()
    assert "NaN" not in text and "undefined" not in text
    for size, name in (({"width": 1280, "height": 900}, "desktop"), ({"width": 390, "height": 844}, "telefon")):
        page.set_viewport_size(size)
        page.locator("#sammendrag").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"selvtjek-udfyldt-{name}.png"), full_page=True)


def test_self_check_asks_for_the_conviction_average_when_the_rules_do_not_know_it(page, server, ruleset):
    page.goto(f"{server}/selvtjek/")
    parameter = ruleset.parameters["landsgennemsnit_doemte_pct"]
    unknown = next(d for d, v, _ in parameter.values if v is None)
    page.fill("#dato", unknown.isoformat())
    page.dispatch_event("#dato", "change")
    assert "kender ikke" in page.locator("#hjaelp-landsgennemsnit_doemte_pct").inner_text()
    page.fill("#dato", "2022-12-01")
    page.dispatch_event("#dato", "change")
    assert "kender værdien" in page.locator("#hjaelp-landsgennemsnit_doemte_pct").inner_text()


def test_open_legal_questions_page_lists_every_open_point_assumption_and_interpretation(page, server, ruleset):
    page.goto(f"{server}/aabne-spoergsmaal/")
    assert heading(page.locator("h1")) == "Åbne juridiske spørgsmål"
    clean = lambda s: " ".join(s.replace("`", "").split())  # noqa: E731 (Markdown code marks are not text)
    text = clean(page.locator("article").inner_text())
    for point in ruleset.open_points:
        assert point["titel"] in text and clean(point["imens"])[:60] in text
    for rule in ruleset.rules.values():
        for assumption in rule.assumptions:
            assert clean(assumption)[:60] in text, rule.id
        for version in rule.versions:
            for note in version.notes:
                assert clean(note)[:60] in text, (rule.id, version.name)
    assert page.locator("nav a", has_text="Åbne juridiske spørgsmål").count() >= 1


def test_self_check_says_when_no_support_rules_are_in_force(page, server):
    page.goto(f"{server}/selvtjek/")
    page.fill("#dato", "2027-03-01")
    page.click("#selvtjek-formular button[type=submit]")
    note = page.locator("#resultat .selvtjek-bemaerkning").first
    note.wait_for()
    assert "Der er ingen regler for støtte efter § 91 a i kraft efter 31. december 2026" in note.inner_text()


def test_every_page_is_danish_with_ordered_headings_header_tables_and_working_links(site, server):
    import urllib.request
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.lang, self.levels, self.tables, self.links, self.in_article = None, [], [], [], 0

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "html":
                self.lang = attrs.get("lang")
            if tag == "article":
                self.in_article += 1
            if self.in_article and re.fullmatch(r"h[1-6]", tag):
                self.levels.append(int(tag[1]))
            if self.in_article and tag == "table":
                self.tables.append(0)
            if self.in_article and tag == "th" and self.tables:
                self.tables[-1] += 1
            if tag == "a" and attrs.get("href"):
                self.links.append(attrs["href"])

        def handle_endtag(self, tag):
            if tag == "article":
                self.in_article -= 1

    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 25
    checked = set()
    for path in pages:
        parsed = Page()
        parsed.feed(path.read_text(encoding="utf-8"))
        rel = path.relative_to(site).as_posix()
        assert parsed.lang == "da", rel
        assert parsed.levels and parsed.levels[0] == 1, rel
        for a, b in zip(parsed.levels, parsed.levels[1:]):
            assert b <= a + 1, f"{rel}: h{a} followed by h{b}"
        assert all(count > 0 for count in parsed.tables), f"{rel}: a table without header cells"
        base = f"{server}/{rel}"
        for href in parsed.links:
            if href.startswith(("http://", "https://", "mailto:", "#")):
                continue
            url = urllib.parse.urljoin(base, href.split("#")[0])
            if url in checked:
                continue
            checked.add(url)
            with urllib.request.urlopen(url) as response:
                assert response.status == 200, f"{rel}: {href}"


def test_no_page_loads_anything_from_outside(site):
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', text):
            pytest.fail(f"{path.relative_to(site)} loads {match.group(1)}")


@pytest.mark.parametrize("path", ["/", "/regler/abl.61a.udsat_boligomraade/", "/selvtjek/"])
def test_readable_on_a_phone(browser, server, path):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}{path}")
    body_width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert body_width <= viewport + 1, f"{path}: page is {body_width}px wide on a {viewport}px screen"
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article')).fontSize)")
    assert font >= 12
    page.screenshot(path=str(ARTIFACTS / f"telefon{path.strip('/').replace('/', '-') or '-forside'}.png"), full_page=False)
    context.close()


def test_a_changed_threshold_changes_the_page_and_its_examples(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    cases = tmp_path / "cases"  # one case on the threshold, so its worked example is on the page both times
    cases.mkdir()
    shutil.copy(CASES / "syntetiske" / "taerskler" / "v2018-udsat" / "v2018-udsat-andel-kun-grundskole-over.yaml", cases)
    before, after = tmp_path / "foer", tmp_path / "efter"
    assert build(before, {"LBF_RULES_DIR": str(rules), "LBF_CASES_DIR": str(cases)}).returncode == 0
    path = rules / "almenboligloven" / "61a" / "udsat_boligomraade.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("overstiger: 60\n", "overstiger: 75\n", 1), encoding="utf-8")
    result = build(after, {"LBF_RULES_DIR": str(rules), "LBF_CASES_DIR": str(cases)})
    assert result.returncode == 0, result.stderr
    page = "regler/abl.61a.udsat_boligomraade/index.html"
    old, new = (before / page).read_text(encoding="utf-8"), (after / page).read_text(encoding="utf-8")
    assert "over 60 %" in old and "over 75 %" not in old
    assert "over 75 %" in new and "over 60 %" not in new
    examples = lambda html: re.findall(r"<td>(Konstrueret eksempel \d+|[^<]+ \(reelt område\))</td>\s*<td>[^<]+</td>\s*<td><strong>([^<]+)</strong></td>\s*<td>([^<]+)</td>", html)  # noqa: E731
    assert [e[1] for e in examples(old)] == ["ja"] and [e[1] for e in examples(new)] == ["nej"]  # its answer follows the rule


def _visible_text_outside_jurister(html: str) -> str:
    """The article's visible text, without the collapsed "For jurister" parts, scripts and styles."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts: list[str] = []
            self.stack: list[bool] = []  # per open tag: is it (or is it inside) something to skip
            self.in_article = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("br", "img", "input", "hr", "meta", "link", "wbr"):
                return
            attrs = dict(attrs)
            skip = (self.stack and self.stack[-1]) or tag in ("script", "style") or (
                tag == "details" and "jurister" in (attrs.get("class") or ""))
            self.stack.append(skip)
            if tag == "article":
                self.in_article += 1

        def handle_endtag(self, tag):
            if tag in ("br", "img", "input", "hr", "meta", "link", "wbr"):
                return
            if self.stack:
                self.stack.pop()
            if tag == "article":
                self.in_article -= 1

        def handle_data(self, data):
            if self.in_article and not (self.stack and self.stack[-1]):
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(parser.parts)


def test_applicant_pages_show_no_rule_ids_fact_ids_or_hashes_outside_the_jurist_parts(site, ruleset):
    from lbf_rules.rulebook import APPLICANT_PAGES

    # Ids that are not ordinary Danish words: rule ids and the snake_case names of facts and parameters
    ids = {r.id for r in ruleset.rules.values()} | {r.derives for r in ruleset.rules.values() if "_" in r.derives}
    ids |= {name for name in ruleset.facts if "_" in name} | {p for p in ruleset.parameters if "_" in p}
    pages = [site / (p[:-3] + "/index.html" if p != "index.md" else "index.html") for p in APPLICANT_PAGES]
    pages += sorted((site / "regler").glob("*/index.html")) + [site / "regler" / "index.html"]
    assert len(pages) > len(ruleset.rules)
    found = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        text = _visible_text_outside_jurister(html)
        assert len(text) > 200, page
        for token in re.findall(r"[A-Za-z0-9_.]+", text):
            if token.strip(".") in ids:
                found.append((page.relative_to(site).as_posix(), token))
        for word in ("sha256:", "operatorerne", "revision"):
            if word in text:
                found.append((page.relative_to(site).as_posix(), word))
        if "regler/" in page.as_posix() and page.parent.name != "regler":
            assert 'class="jurister"' in html, page  # ids still there, for legal staff, collapsed
    assert not found, found[:20]


def test_rule_pages_show_the_version_in_force_first_and_older_ones_collapsed(page, server, ruleset):
    page.goto(f"{server}/regler/abl.61a.parallelsamfund/")
    headings = [heading(h) for h in page.locator("article h2").all()]
    assert headings[0] == "Gælder nu: Parallelsamfund"
    assert headings.index("Andre versioner") == 1
    summaries = [s.inner_text() for s in page.locator("details.version > summary").all()]
    assert summaries[0].startswith("Ghettoområde, fra 1. december 2018") and len(summaries) == 3
    assert all(not d.evaluate("d => d.open") for d in page.locator("details.version").all())
    tables = page.locator("article table").all()
    assert len(tables) >= 2
    outcomes = set()
    for table in tables[:-1]:  # the worked examples (the last table is the jurists' timeline)
        rows = [r.inner_text() for r in table.locator("tbody tr").all()]
        if not rows or "Område" not in table.locator("thead").inner_text():
            continue
        assert len(rows) == len(set(rows))
        kinds = ["reelt område" in r for r in rows]
        assert kinds == sorted(kinds, reverse=True)  # real areas first
        outcomes |= {r.split("\t")[2] for r in rows}
    assert {"ja", "nej"} <= outcomes
    # every page says which rules it shows and when it was built, in Danish
    assert "Regelsæt " + ruleset.version in page.locator(".regelsaet-linje").inner_text()
    footer = page.locator("footer").inner_text()
    assert "Made with" not in footer and "Material for MkDocs" not in footer


def test_every_dated_parameter_has_its_values_on_a_page(page, server, ruleset):
    page.goto(f"{server}/parametre/")
    text = page.locator("article").inner_text()
    for parameter in ruleset.parameters.values():
        assert parameter.title in text
    assert "fordeling" in text.lower()


def test_applicants_are_pointed_to_the_ministrys_lists_and_lbfs_application_page(site):
    page = (site / "kan-vi-faa-stoette" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.sbst.dk/bolig/udsatte-boligomraader-og-parallelsamfund"' in page
    assert 'href="https://www.lbf.dk/boligsociale-indsatser/"' in page
    rule = (site / "regler" / "abl.61a.parallelsamfund" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.retsinformation.dk/eli/lta/2021/2157"' in rule  # the law as enacted
