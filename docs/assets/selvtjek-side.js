/* The self-check page: builds its form from the facts catalogue the build embedded
 * (assets/regler.js, written from rules/fakta.yaml), reads every number with LBFTal (the same
 * reading as the command line), runs LBFSelvtjek.decide and answers the applicant's question first,
 * with the reasons below. A number that cannot be read is shown at its field and nothing is
 * computed until it is corrected: never a result from a half-read value. */
(function () {
  "use strict";
  var ANSWER = { "true": "JA", "false": "NEJ", "null": "KAN IKKE AFGØRES" };
  var MARK = { "true": "✓", "false": "✗", "null": "?" };
  var GROUPS = [  // the case's top-level parts, in the order of the form; "" is the area itself
    { top: "", legend: "Området" },
    { top: "kriterier", legend: "Kriterierne i § 61 a (procent)" },
    { top: "problemer", legend: "Væsentlige problemer efter § 91 a" },
    { top: "udviklingsplan", legend: "Udviklingsplan (§ 168 a)" },
    { top: "ansoegning", legend: "Ansøgningen", collapsed: true }
  ];
  var NUMBER_KIND = { antal: "antal", kroner: "kroner", procent: "procent", aar: "antal" };
  var UNIT = { procent: " %", kroner: " kr.", aar: " år" };

  function element(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function fieldId(name) { return "felt-" + name; }

  function danish(value) {
    if (typeof value !== "number") return String(value);
    var parts = String(value).split(".");
    return parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".") + (parts[1] ? "," + parts[1] : "");
  }

  var MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];
  function danishDate(day) {
    var p = day.split("-");
    return Number(p[2]) + ". " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }

  function valueAt(parameter, day) {
    var current = null;
    parameter.vaerdier.forEach(function (entry) { if (entry[0] <= day) current = entry[1]; });
    return current;
  }

  /* ---- the form, from the facts catalogue ---- */

  function control(name, fact) {
    var wrap = element("div", undefined, "selvtjek-felt");
    wrap.id = "sted-" + name;
    var label = element("label", fact.spoergsmaal);
    label.setAttribute("for", fieldId(name));
    wrap.appendChild(label);
    var input;
    if (fact.type === "sandhedsvaerdi") {
      input = element("select");
      [["", "Ved ikke"], ["ja", "Ja"], ["nej", "Nej"]].forEach(function (o) {
        var option = element("option", o[1]); option.value = o[0]; input.appendChild(option);
      });
    } else if (fact.type === "liste") {
      return listControl(name, fact, wrap);
    } else {
      input = element("input");
      input.type = "text";
      input.setAttribute("inputmode", fact.type === "procent" ? "decimal" : "numeric");
      input.setAttribute("autocomplete", "off");
      input.setAttribute("aria-describedby", "fejl-" + name);
    }
    input.id = fieldId(name);
    input.name = name;
    input.setAttribute("data-felt", fact.felt.join("."));
    wrap.appendChild(input);
    var hint = element("p", "", "selvtjek-hjaelp");
    hint.id = "hjaelp-" + name;
    wrap.appendChild(hint);
    var error = element("p", "", "selvtjek-fejl");
    error.id = "fejl-" + name;
    error.setAttribute("role", "alert");
    wrap.appendChild(error);
    return wrap;
  }

  function listControl(name, fact, wrap) {
    var item = fact.element, box = element("div", undefined, "selvtjek-liste");
    box.id = fieldId(name);
    box.setAttribute("data-felt", fact.felt.join("."));
    box.tabIndex = -1;
    wrap.appendChild(element("p", "Vælg for hvert " + item.navn + ", om indsatsen har aktiviteter der, og om de har mål og indikatorer. " +
                                  "Lader du alle stå på \"ikke med\", regnes listen som ikke oplyst.", "selvtjek-hjaelp"));
    Object.keys(item.vaerdier).forEach(function (value) {
      var row = element("div", undefined, "selvtjek-listepunkt");
      var label = element("label", item.vaerdier[value]);
      var select = element("select");
      select.id = fieldId(name) + "-" + value;
      select.setAttribute("data-element", value);
      label.setAttribute("for", select.id);
      [["", "Ikke med"], ["begge", "Med, med mål og indikatorer"], ["mangler", "Med, uden mål eller indikatorer"], ["ukendt", "Med, mål og indikatorer ikke oplyst"]]
        .forEach(function (o) { var option = element("option", o[1]); option.value = o[0]; select.appendChild(option); });
      row.appendChild(label); row.appendChild(select); box.appendChild(row);
    });
    wrap.appendChild(box);
    return wrap;
  }

  function historyControl() {
    var wrap = element("div", undefined, "selvtjek-felt");
    wrap.id = "sted-historik.parallelsamfund";
    var label = element("label", "I hvilke tidligere år stod området på ghetto- eller parallelsamfundslisten? (fx 2018, 2019, 2020)");
    label.setAttribute("for", "felt-historik");
    var input = element("input");
    input.id = "felt-historik"; input.type = "text"; input.setAttribute("inputmode", "numeric");
    input.setAttribute("data-felt", "historik.parallelsamfund");
    var error = element("p", "", "selvtjek-fejl"); error.id = "fejl-historik"; error.setAttribute("role", "alert");
    wrap.appendChild(label); wrap.appendChild(input); wrap.appendChild(error);
    return wrap;
  }

  function buildForm(rules, holder) {
    GROUPS.forEach(function (group) {
      var names = Object.keys(rules.fakta).filter(function (n) {
        var felt = rules.fakta[n].felt;
        return group.top === "" ? felt.length === 1 : felt[0] === group.top && felt.length > 1;
      });
      if (!names.length) return;
      var set = element("fieldset");
      set.appendChild(element("legend", group.legend));
      names.forEach(function (n) { set.appendChild(control(n, rules.fakta[n])); });
      if (group.top === "") set.appendChild(historyControl());
      if (group.collapsed) {
        var details = element("details", undefined, "selvtjek-del");
        details.id = "del-" + group.top;
        details.appendChild(element("summary", group.legend + " (udfyld for at se betingelserne og den samlede afgørelse)"));
        details.appendChild(set);
        holder.appendChild(details);
      } else {
        holder.appendChild(set);
      }
    });
  }

  /* ---- reading the form into a case ---- */

  function put(kase, path, value) {
    var at = kase;
    for (var i = 0; i < path.length - 1; i++) { if (!at[path[i]]) at[path[i]] = {}; at = at[path[i]]; }
    at[path[path.length - 1]] = value;
  }

  function readForm(rules) {
    var day = document.getElementById("dato").value;
    var kase = { id: "selvtjek", navn: "Selvtjek", dato: day }, errors = [];
    Object.keys(rules.fakta).forEach(function (name) {
      var fact = rules.fakta[name], error = document.getElementById("fejl-" + name);
      if (error) error.textContent = "";
      if (fact.type === "liste") {
        var items = [];
        document.querySelectorAll("[data-element]").forEach(function (select) {
          if (!select.id.startsWith(fieldId(name) + "-") || !select.value) return;
          var item = {}; item[fact.element.felt] = select.getAttribute("data-element");
          if (select.value !== "ukendt") { item.maal = select.value === "begge"; item.indikatorer = select.value === "begge"; }
          items.push(item);
        });
        if (items.length) put(kase, fact.felt, items);
        return;
      }
      var input = document.getElementById(fieldId(name));
      if (!input) return;
      input.removeAttribute("aria-invalid");
      if (fact.type === "sandhedsvaerdi") {
        if (input.value) put(kase, fact.felt, input.value === "ja");
        return;
      }
      if (!input.value.trim()) return;
      try {
        put(kase, fact.felt, window.LBFTal.parse(input.value, NUMBER_KIND[fact.type]));
      } catch (refusal) {
        if (!refusal || !refusal.reason) throw refusal;
        errors.push(name);
        input.setAttribute("aria-invalid", "true");
        error.textContent = refusal.message.charAt(0).toUpperCase() + refusal.message.slice(1) + ".";
      }
    });
    var history = document.getElementById("felt-historik"), historyError = document.getElementById("fejl-historik");
    historyError.textContent = "";
    history.removeAttribute("aria-invalid");
    if (history.value.trim()) {
      var years = history.value.split(/[\s,;]+/).filter(Boolean);
      if (years.every(function (y) { return /^(19|20)\d\d$/.test(y); })) put(kase, ["historik", "parallelsamfund"], years.map(Number));
      else { errors.push("historik"); history.setAttribute("aria-invalid", "true"); historyError.textContent = "Skriv årstal med fire cifre, adskilt af komma (fx 2018, 2019)."; }
    }
    return { kase: kase, errors: errors };
  }

  function parameterHints(rules) {
    var day = document.getElementById("dato").value;
    Object.keys(rules.parametre).forEach(function (name) {
      var parameter = rules.parametre[name], hint = document.getElementById("hjaelp-" + name);
      if (!parameter.kan_oplyses_i_sag || !hint || !day) return;
      var known = valueAt(parameter, day);
      hint.textContent = known === null
        ? "Reglerne kender ikke " + parameter.titel.charAt(0).toLowerCase() + parameter.titel.slice(1) + " pr. " + danishDate(day) + ". Angiv det her, hvis du kender det; ellers kan kriteriet ikke afgøres."
        : "Reglerne kender værdien pr. " + danishDate(day) + " (" + danish(known) + " %); et tal her bruges ikke.";
    });
  }

  /* ---- the answer ---- */

  function label(rules, name) {
    var fact = rules.fakta[name];
    if (fact) return fact.spoergsmaal;
    if (name.indexOf("historik.") === 0) return "I hvilke tidligere år stod området på listen?";
    if (rules.parametre[name]) return rules.parametre[name].titel;
    var rule = rules.regler.filter(function (r) { return r.udleder === name; })[0];
    return rule ? rule.titel : name;
  }

  function fieldOf(rules, name) {
    if (rules.fakta[name]) return fieldId(name);
    if (name.indexOf("historik.") === 0) return "felt-historik";
    return null;
  }

  function inFormOrder(rules, names) {
    var order = Object.keys(rules.fakta);
    var rank = function (n) { var i = order.indexOf(n); return i < 0 ? order.length : i; };
    return names.slice().sort(function (a, b) { return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0); });
  }

  function missingList(rules, names) {
    var list = element("ul", undefined, "selvtjek-mangler");
    inFormOrder(rules, names).forEach(function (name) {
      var item = element("li"), target = fieldOf(rules, name);
      if (target) {
        var link = element("a", label(rules, name));
        link.href = "#" + target;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          var field = document.getElementById(target), part = field.closest("details");
          if (part) part.open = true;
          field.focus();
          field.scrollIntoView({ block: "center" });
        });
        item.appendChild(link);
      } else {
        item.textContent = label(rules, name);
      }
      list.appendChild(item);
    });
    return list;
  }

  function groupWords(node, info) {
    if (node.type === "nogen") return "mindst én af følgende";
    if (node.type === "mindst") return "mindst " + info.mindst + " af " + node.dele.length + " (" + info.opfyldt + " opfyldt)";
    return "";
  }

  function line(rules, part) {
    var node = part.node, text = node.begrundelse;
    if (node.type === "fakta" && rules.fakta[node.fakta] && node.er === false) {
      // A negative statement is shown as the question and the answer, never as a double negative.
      var known = part.r === null ? "ikke oplyst" : (part.r ? "nej" : "ja");
      return MARK[String(part.r)] + " " + rules.fakta[node.fakta].spoergsmaal + " " + known;
    }
    if (node.type === "sammenligning" && typeof part.info.vaerdi === "number" && part.info.graense !== null) {
      var unit = UNIT[(rules.fakta[node.fakta] || {}).type] || "";
      var words = { ">": "over", "≥": "mindst", "<": "under", "≤": "højst" }[node.op];
      text += ": " + danish(part.info.vaerdi) + unit + " (krav: " + words + " " + danish(part.info.graense) + unit + ")";
    }
    var group = groupWords(node, part.info || {});
    return MARK[String(part.r)] + " " + text + (group ? " — " + group + ":" : "");
  }

  function reasons(rules, trace) {
    var list = element("ul");
    var parts = trace.info && trace.info.dele ? trace.info.dele : [];
    parts.forEach(function (part) {
      var item = element("li", line(rules, part));
      if (part.info && part.info.dele) item.appendChild(reasons(rules, part));
      list.appendChild(item);
    });
    return list;
  }

  function oneLine(rules, trace, spor) {
    if (!trace) return "";
    if (trace.r === null) return "Der mangler oplysninger; se listen nedenfor.";
    var chain = [], at = trace;  // follow the parts that gave the result, down to the deciding fact
    while (at && at.info && at.info.dele && chain.length < 3) {
      var same = at.info.dele.filter(function (p) { return p.r === trace.r; });
      if (!same.length) break;
      at = same[0];
      chain.push(at.node.begrundelse.charAt(0).toLowerCase() + at.node.begrundelse.slice(1));
      if (at.node.type === "fakta" && spor[at.node.fakta] && spor[at.node.fakta].r === trace.r) at = spor[at.node.fakta];  // into the rule deriving it
    }
    if (!chain.length) return "";
    var last = chain.length > 1 && at.node.type === "fakta" && rules.fakta[at.node.fakta] ? chain.pop() : null;  // a stated fact ends the line
    return (trace.r ? "Fordi " : "Fordi dette ikke er opfyldt: ") + chain.join(", fordi ") + (last ? ": " + last : "") + ".";
  }

  function section(rules, out, title, entry, trace, practice) {
    var box = element("section", undefined, "selvtjek-svar");
    var value = typeof entry.resultat === "string" ? (entry.vaerdi_navn || entry.resultat) : ANSWER[String(entry.resultat)];
    var heading = element("h3", title + ": " + value);
    heading.setAttribute("data-resultat", String(entry.resultat));
    box.appendChild(heading);
    box.appendChild(element("p", entry.kilde + (practice ? " · LBF-praksis (antagelse), ikke en retlig afgørelse" : ""), "selvtjek-kilde"));
    if (trace && trace.node.type !== "vaelg") box.appendChild(reasons(rules, trace));
    if (entry.mangler.length && entry.resultat === null) {
      box.appendChild(element("p", "Mangler:"));
      box.appendChild(missingList(rules, entry.mangler));
    }
    out.appendChild(box);
  }

  function summary(rules, decision, out) {
    var box = element("section", undefined, "selvtjek-sammendrag");
    box.id = "sammendrag";
    var support = decision.stoetteberettiget, s = rules.sektioner;
    var heading = element("h2");
    heading.id = "svar";
    if (support) {
      heading.textContent = "Kan området få støtte efter § 91 a? " + ANSWER[String(support.resultat)];
      heading.setAttribute("data-resultat", String(support.resultat));
      box.appendChild(heading);
      box.appendChild(element("p", oneLine(rules, decision.spor[s.stoetteberettiget], decision.spor), "selvtjek-grund"));
    } else {
      heading.textContent = "Kan området få støtte efter § 91 a? Ingen regler på datoen";
      heading.setAttribute("data-resultat", "ingen");
      box.appendChild(heading);
    }
    decision.bemaerkninger.forEach(function (note) { box.appendChild(element("p", note, "selvtjek-bemaerkning")); });
    if (decision.afgoerelse) {
      var overall = decision.afgoerelse;
      box.appendChild(element("p", "Samlet afgørelse efter lov og regulativ: " + (overall.vaerdi_navn || ANSWER[String(overall.resultat)]), "selvtjek-afgoerelse"));
    } else if (support) {
      box.appendChild(element("p", "Den samlede afgørelse kræver oplysninger om ansøgningen (se \"Ansøgningen\" i formularen).", "selvtjek-afgoerelse"));
    }
    if (decision.prioritet) {
      var tier = decision.prioritet;
      box.appendChild(element("p", "LBF-praksis (antagelse), ikke en retlig afgørelse: " + (tier.vaerdi_navn || "prioriteten kan ikke afgøres") + ".", "selvtjek-praksis"));
    }
    var application = function (n) { return rules.fakta[n] && rules.fakta[n].felt[0] === "ansoegning"; };
    var area = decision.mangler.filter(function (n) { return !application(n); });
    var applying = decision.mangler.filter(application);
    if (area.length) {
      box.appendChild(element("p", "Mangler om området:"));
      box.appendChild(missingList(rules, area));
    }
    if (applying.length) {
      box.appendChild(element("p", "Mangler om ansøgningen (for betingelserne og den samlede afgørelse):"));
      box.appendChild(missingList(rules, applying));
    }
    out.appendChild(box);
  }

  function render(rules, kase) {
    var decision = window.LBFSelvtjek.decide(rules, kase), out = document.getElementById("resultat");
    out.textContent = "";
    summary(rules, decision, out);
    out.appendChild(element("h2", "Begrundelser"));
    Object.keys(decision.klassifikation).forEach(function (name) {
      section(rules, out, decision.klassifikation[name].navn, decision.klassifikation[name], decision.spor[name], false);
    });
    var s = rules.sektioner;
    if (decision.stoetteberettiget) section(rules, out, "Støtte efter § 91 a", decision.stoetteberettiget, decision.spor[s.stoetteberettiget], false);
    Object.keys(decision.betingelser).forEach(function (key) {
      var entry = decision.betingelser[key];
      section(rules, out, "Betingelse: " + entry.navn, entry, decision.spor["betingelse_" + key], entry.art === "praksis");
    });
    if (decision.prioritet) section(rules, out, "Prioritet", decision.prioritet, null, true);
    if (decision.afgoerelse) section(rules, out, "Samlet afgørelse", decision.afgoerelse, null, false);
    return decision;
  }

  function start() {
    var form = document.getElementById("selvtjek-formular");
    if (!form || !window.LBF_REGLER || !window.LBFTal) return;
    var rules = window.LBF_REGLER;
    buildForm(rules, document.getElementById("selvtjek-felter"));
    var version = document.getElementById("regelsaet-version");
    if (version) version.textContent = rules.version;
    parameterHints(rules);
    document.getElementById("dato").addEventListener("change", function () { parameterHints(rules); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var out = document.getElementById("resultat");
      if (!document.getElementById("dato").value) { out.textContent = "Angiv en dato."; return; }
      var read = readForm(rules);
      if (read.errors.length) {
        out.textContent = "";
        var box = element("section", undefined, "selvtjek-sammendrag");
        box.appendChild(element("h2", "Ret de markerede felter"));
        box.appendChild(element("p", "Intet er beregnet: et tal, der ikke kan læses sikkert, kunne give et forkert svar."));
        box.appendChild(missingList(rules, read.errors.map(function (n) { return n === "historik" ? "historik.parallelsamfund" : n; })));
        out.appendChild(box);
        window.LBFSelvtjekSidste = null;
        return;
      }
      window.LBFSelvtjekSag = read.kase;
      window.LBFSelvtjekSidste = render(rules, read.kase);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
