/* The self-check form: builds a case from the fields, runs LBFSelvtjek.decide on the rules the
 * build embedded (assets/regler.js) and shows each answer with its reasons, in Danish. */
(function () {
  "use strict";
  var CRITERIA = ["andel_ikkevestlige_pct", "andel_uden_for_arbejdsmarked_pct", "andel_doemte_pct",
                  "andel_kun_grundskole_pct", "indkomst_ift_region_pct", "landsgennemsnit_doemte_pct"];
  var PROBLEMS = ["hoej_husleje", "hoej_flyttefrekvens", "mange_beboere_med_sociale_problemer", "vold",
                  "haervaerk", "nedslidning", "andre_vaesentlige_problemer"];
  var ANSWER = { "true": "JA", "false": "NEJ", "null": "KAN IKKE AFGØRES" };
  var MARK = { "true": "✓", "false": "✗", "null": "?" };

  function number(id) {
    var raw = document.getElementById(id).value.trim().replace(",", ".");
    return raw === "" ? undefined : Number(raw);
  }

  function caseFromForm() {
    var kase = { id: "selvtjek", navn: "Selvtjek", dato: document.getElementById("dato").value, kriterier: {} };
    var residents = number("beboere");
    if (residents !== undefined) kase.beboere = Math.round(residents);
    var delimited = document.getElementById("afgraenset_2010").value;
    if (delimited) kase.afgraenset_2010 = delimited === "ja";
    CRITERIA.forEach(function (c) { var v = number(c); if (v !== undefined) kase.kriterier[c] = v; });
    var years = document.getElementById("historik").value.match(/\d{4}/g);
    if (years) kase.historik = { parallelsamfund: years.map(Number) };
    var problems = document.getElementById("problemer").value;
    if (problems) {
      kase.problemer = {};
      PROBLEMS.forEach(function (p) { kase.problemer[p] = problems === "ja" && p === "andre_vaesentlige_problemer"; });
    }
    var adjacent = document.getElementById("tilknytning").value;
    if (adjacent) kase.i_tilknytning_til_udsat_omraade = adjacent === "ja";
    return kase;
  }

  function element(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function reasons(trace) {
    var list = element("ul");
    var parts = trace.info && trace.info.dele ? trace.info.dele : [];
    parts.forEach(function (part) {
      var item = element("li", MARK[String(part.r)] + " " + part.node.begrundelse);
      if (part.node.type === "sammenligning" && part.info.vaerdi !== null && typeof part.info.vaerdi === "number") {
        item.textContent += " (" + String(part.info.vaerdi).replace(".", ",") + " mod " + part.info.op + " " + String(part.info.graense).replace(".", ",") + ")";
      }
      if (part.info && part.info.dele) item.appendChild(reasons(part));
      list.appendChild(item);
    });
    return list;
  }

  function show(out, title, entry, trace) {
    var section = element("section", undefined, "selvtjek-svar");
    var value = typeof entry.resultat === "string" ? (entry.vaerdi_navn || entry.resultat) : ANSWER[String(entry.resultat)];
    var heading = element("h2", title + ": " + value);
    heading.setAttribute("data-resultat", String(entry.resultat));
    section.appendChild(heading);
    section.appendChild(element("p", entry.kilde + " · regel " + entry.regel + ", version " + entry.version + (entry.art === "praksis" ? " · LBF-praksis (antagelse), ikke en retlig afgørelse" : "")));
    if (trace && trace.node.type !== "vaelg") section.appendChild(reasons(trace));
    out.appendChild(section);
  }

  function render(rules, kase) {
    var decision = window.LBFSelvtjek.decide(rules, kase), out = document.getElementById("resultat");
    out.textContent = "";
    decision.bemaerkninger.forEach(function (note) { out.appendChild(element("p", note, "selvtjek-bemaerkning")); });
    Object.keys(decision.klassifikation).forEach(function (name) {
      var e = decision.klassifikation[name];
      show(out, e.navn, e, decision.spor[name]);
    });
    if (decision.stoetteberettiget) show(out, "Støtte efter § 91 a", decision.stoetteberettiget, decision.spor[rules.sektioner.stoetteberettiget]);
    if (decision.prioritet) show(out, "Prioritet (LBF-praksis, antagelse)", decision.prioritet, null);
    if (!Object.keys(decision.klassifikation).length && !decision.prioritet) out.appendChild(element("p", "Ingen af reglerne gælder på datoen."));
    if (decision.mangler.length) out.appendChild(element("p", "Mangler for at afgøre alt: " + decision.mangler.join(", "), "selvtjek-mangler"));
    return decision;
  }

  function start() {
    var form = document.getElementById("selvtjek-formular");
    if (!form || !window.LBF_REGLER) return;
    var rules = window.LBF_REGLER;
    var label = document.getElementById("regelsaet-version");
    if (label) label.textContent = rules.version + " (" + rules.revision + ")";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!document.getElementById("dato").value) { document.getElementById("resultat").textContent = "Angiv en dato."; return; }
      window.LBFSelvtjekSidste = render(rules, caseFromForm());
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
