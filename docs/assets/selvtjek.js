/* Selvtjek: evaluates the exported rule data (assets/regler.js, written at build time from rules/)
 * in the browser, offline. Same semantics as lbf_rules/nodes/ and evaluator.py: three-valued
 * (Kleene) logic, "mindst k af n" decided as soon as known values decide it, values known only as
 * bounds, dated parameters, history, lists, calculations and choices. The tests run this file over
 * every case in cases/ and compare each result with the Python evaluator. */
(function (global) {
  "use strict";

  var CMP = {
    ">": function (a, b) { return a > b; }, "≥": function (a, b) { return a >= b; },
    "<": function (a, b) { return a < b; }, "≤": function (a, b) { return a <= b; }
  };

  /* value × factor in decimal arithmetic, as the evaluator does (Decimal(repr(a)) × Decimal(repr(b))):
   * each number's shortest decimal digits as a BigInt and an exponent, multiplied exactly, then read
   * back as the nearest double. 3 × 0,66 is exactly 1,98 and 3 × 0,1 exactly 0,3. */
  function decimalParts(x) {
    var m = String(x).match(/^(-?)(\d+)(?:\.(\d+))?(?:e([-+]?\d+))?$/);
    var digits = m[2] + (m[3] || "");
    return { sign: m[1] ? -1n : 1n, digits: BigInt(digits), exp: Number(m[4] || 0) - (m[3] || "").length };
  }
  function scale(value, factor) {
    if (factor === 1) return value;
    var a = decimalParts(value), b = decimalParts(factor);
    var product = a.sign * b.sign * a.digits * b.digits;
    return Number(product.toString() + "e" + (a.exp + b.exp));
  }

  function bound(data, whole) {
    var b = { lo: null, hi: null, loIncl: false, hiIncl: false };
    if (data.over !== undefined && data.over !== null) { b.lo = whole ? data.over + 1 : data.over; b.loIncl = whole; }
    if (data.under !== undefined && data.under !== null) { b.hi = whole ? data.under - 1 : data.under; b.hiIncl = whole; }
    return b;
  }

  function compare(op, value, limit) {
    if (typeof value === "number") return CMP[op](value, limit);
    var lo = value.lo, hi = value.hi;
    var ge = lo !== null && lo >= limit, gt = lo !== null && (lo > limit || (lo === limit && !value.loIncl));
    var le = hi !== null && hi <= limit, lt = hi !== null && (hi < limit || (hi === limit && !value.hiIncl));
    var pair = { ">": [gt, le], "≥": [ge, lt], "<": [lt, ge], "≤": [le, gt] }[op];
    return pair[0] ? true : pair[1] ? false : null;
  }

  function valueAt(parameter, day) {
    var current = null;
    parameter.vaerdier.forEach(function (entry) { if (entry[0] <= day) current = entry[1]; });
    return current;
  }

  function union(sets) {
    var out = [];
    sets.forEach(function (s) { s.forEach(function (x) { if (out.indexOf(x) < 0) out.push(x); }); });
    return out;
  }

  function Context(rules, kase, day) {
    this.rules = rules; this.day = day; this.year = Number(day.slice(0, 4));
    this.facts = {}; this.derived = {}; this.history = kase.historik || {};
    var self = this;
    Object.keys(rules.fakta).forEach(function (name) {
      var spec = rules.fakta[name], value = kase;
      spec.felt.forEach(function (part) { value = value && typeof value === "object" && !Array.isArray(value) ? value[part] : undefined; });
      if (value && typeof value === "object" && !Array.isArray(value)) value = bound(value, spec.type === "antal");
      if (value !== undefined && value !== null) self.facts[name] = value;
    });
  }
  Context.prototype.value = function (name) {
    if (name in this.derived) return this.derived[name];
    var v = this.facts[name];
    return [v === undefined ? null : v, v === undefined ? [name] : []];
  };
  Context.prototype.parameter = function (name) {
    var p = this.rules.parametre[name], v = valueAt(p, this.day);
    if (v !== null) return v;
    var own = p.kan_oplyses_i_sag ? this.facts[name] : undefined;
    return typeof own === "number" ? own : null;
  };

  /* One evaluator per node kind, as lbf_rules/nodes/ has one class per kind. Each returns
   * {r: result, d: facts that would decide it, info}. tests/test_node_kinds.py checks that every kind
   * the Python rules can export has an entry here. */
  function group(node, ctx, k) {
    var parts = node.dele.map(function (p) { return evaluate(p, ctx); });
    var yes = parts.filter(function (p) { return p.r === true; }).length;
    var unk = parts.filter(function (p) { return p.r === null; }).length;
    var r = null, d = [];
    if (node.k_parameter) k = ctx.parameter(node.k_parameter);
    if (k === null) d = [node.k_parameter];
    else r = yes >= k ? true : yes + unk < k ? false : null;
    if (r === null && !d.length) d = union(parts.filter(function (p) { return p.r === null; }).map(function (p) { return p.d; }));
    return { r: r, d: d, info: { dele: parts, opfyldt: yes, mindst: k } };
  }

  var KINDS = {
    sammenligning: function (node, ctx) {
      var got = ctx.value(node.fakta), value = got[0], limit = node.graense, missing = [], r, d;
      if (node.parameter) {
        var pv = ctx.parameter(node.parameter);
        var factor = node.gange_parameter ? ctx.parameter(node.gange_parameter) : node.gange;
        if (pv === null || factor === null) { limit = null; missing.push(node.parameter); } else limit = scale(pv, factor);
      }
      if (value === null || limit === null) { r = null; d = union([missing, value === null ? got[1] : []]); }
      else { r = compare(node.op, value, limit); d = r === null ? [node.fakta] : []; }
      return { r: r, d: d, info: { vaerdi: value, graense: limit, op: node.op } };
    },
    fakta: function (node, ctx) {
      var f = ctx.value(node.fakta), r = f[0] === null ? null : f[0] === node.er;
      return { r: r, d: r === null ? f[1] : [], info: {} };
    },
    historik: function (node, ctx) {
      var years = ctx.history[node.historik], required = [];
      for (var i = node.aar; i >= 1; i--) required.push(ctx.year - i);
      if (!years) return { r: null, d: ["historik." + node.historik], info: {} };
      return { r: required.every(function (y) { return years.indexOf(y) >= 0; }), d: [], info: {} };
    },
    liste: function (node, ctx) {
      var items = ctx.facts[node.liste], outside = 0, lacking = 0, unknown = [];
      if (!Array.isArray(items)) return { r: null, d: [node.liste], info: {} };
      items.forEach(function (item) {
        if (node.tilladte.indexOf(item.omraade) < 0) outside++;
        node.skal_have.forEach(function (field) {
          if (item[field] === undefined || item[field] === null) unknown.push(node.liste + "." + item.omraade + "." + field);
          else if (item[field] !== true) lacking++;
        });
      });
      if (!items.length || outside || lacking) return { r: false, d: [], info: {} };
      return unknown.length ? { r: null, d: unknown, info: {} } : { r: true, d: [], info: {} };
    },
    beregning: function (node, ctx) {
      var names = [node.andel].concat(node.af_summen), vals = {}, miss = [], r = null, d;
      names.forEach(function (n) { var v = ctx.value(n); vals[n] = v[0]; if (v[0] === null) miss = union([miss, v[1]]); });
      d = miss;
      if (!miss.length) {
        var total = node.af_summen.reduce(function (s, n) { return s + vals[n]; }, 0);
        if (total === 0) d = node.af_summen.slice(); else r = vals[node.andel] * 100 / total; // as exact as the evaluator
      }
      return { r: r, d: d, info: {} };
    },
    vaelg: function (node, ctx) {
      var undecided = false, r = null, d = [];
      for (var o = 0; o < node.valg.length; o++) {
        var option = node.valg[o], res = option.naar ? evaluate(option.naar, ctx) : { r: true, d: [] };
        if (res.r === true) { r = undecided ? null : option.vaerdi; break; }
        if (res.r === null) { undecided = true; d = union([d, res.d]); }
      }
      if (r !== null) d = []; else if (node.ved_ukendt) r = node.ved_ukendt[0];
      return { r: r, d: d, info: {} };
    },
    alle: function (node, ctx) { return group(node, ctx, node.dele.length); },
    nogen: function (node, ctx) { return group(node, ctx, 1); },
    mindst: function (node, ctx) { return group(node, ctx, node.k); },
    ikke: function (node, ctx) {
      var part = evaluate(node.dele[0], ctx), r = part.r === null ? null : !part.r;
      return { r: r, d: r === null ? part.d : [], info: { dele: [part] } };
    }
  };

  function evaluate(node, ctx) {
    var kind = KINDS[node.type];
    if (!kind) throw new Error("selvtjek kender ikke betingelsestypen '" + node.type + "'");
    var res = kind(node, ctx);
    return { r: res.r, d: res.r === null || (node.type === "vaelg" && res.d.length) ? res.d : [], node: node, info: res.info };
  }

  function versionAt(rule, day) {
    for (var i = 0; i < rule.versioner.length; i++) {
      var v = rule.versioner[i];
      if (v.fra <= day && (v.til === null || day < v.til)) return v;
    }
    return null;
  }

  function labelOf(body, value) {
    if (body.ved_ukendt && body.ved_ukendt[0] === value) return body.ved_ukendt[1];
    for (var i = 0; i < body.valg.length; i++) if (body.valg[i].vaerdi === value) return body.valg[i].navn;
    return value;
  }

  /* The decision's results, in the shape of the Python decision (resultat, navn, mangler). */
  function decide(rules, kase, day) {
    day = day || kase.dato;
    var ctx = new Context(rules, kase, day), entries = {}, traces = {};
    rules.regler.forEach(function (rule) {
      var version = versionAt(rule, day);
      if (!version) return;
      var res = evaluate(version.krop, ctx);
      ctx.derived[rule.udleder] = [res.r, res.d];
      traces[rule.udleder] = res;
      var entry = { resultat: res.r, navn: version.navn, regel: rule.id, version: version.version, kilde: version.kilde, art: rule.art, mangler: res.d.slice().sort() };
      if (version.krop.type === "vaelg" && res.r !== null) entry.vaerdi_navn = labelOf(version.krop, res.r);
      entries[rule.udleder] = entry;
    });
    var s = rules.sektioner, out = { klassifikation: {}, betingelser: {}, spor: traces };
    s.klassifikationer.forEach(function (n) { if (entries[n]) out.klassifikation[n] = entries[n]; });
    ["stoetteberettiget", "prioritet", "afgoerelse"].forEach(function (key) { if (s[key] && entries[s[key]]) out[key] = entries[s[key]]; });
    (s.betingelser || []).forEach(function (n) { if (entries[n]) out.betingelser[n.replace(/^betingelse_/, "")] = entries[n]; });
    var reported = Object.values(out.klassifikation).concat(Object.values(out.betingelser));
    ["stoetteberettiget", "prioritet", "afgoerelse"].forEach(function (k) { if (out[k]) reported.push(out[k]); });
    out.mangler = union(reported.map(function (e) { return e.mangler; })).sort();
    out.bemaerkninger = (rules.perioder_uden_regler || []).filter(function (p) {
      return p[0] <= day && (p[1] === null || day < p[1]);  // a known period without rules is said, never silent
    }).map(function (p) { return p[2]; });
    return out;
  }

  global.LBFSelvtjek = { decide: decide, evaluate: evaluate, compare: compare, scale: scale, KINDS: KINDS, Context: Context };
})(typeof window !== "undefined" ? window : globalThis);
