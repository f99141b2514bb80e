/* Numbers as people type them, for the self-check's fields: the same reading as
 * lbf_rules/numbers.py `parse` (decimal comma or point, "%" after a percentage, thousands separators
 * only in a count or an amount, anything ambiguous or unreadable refused with a Danish reason).
 * Both pass the same table, tests/conformance/tal.yaml (tests/test_numbers.py runs this file under
 * node). LBFTal.parse(text, kind) returns the number or throws {reason, message}; never NaN. */
(function (global) {
  "use strict";

  var MAX_DIGITS = 15, MAX_TEXT = 64;
  var KINDS = { antal: "Et antal", kroner: "Et beløb", procent: "En procent", tal: "Et tal" };
  var SPACES = "\u00a0\u202f\u2009 ";
  var GROUPED = { ".": /^[1-9][0-9]{0,2}(?:\.[0-9]{3})+$/, " ": /^[1-9][0-9]{0,2}(?: [0-9]{3})+$/ };
  var PLAIN = /^[0-9]+$/, DECIMAL = /^([0-9]+)([.,])([0-9]+)$/;

  function refuse(reason, message) { return { reason: reason, message: message }; }

  function shown(text) {
    text = String(text);
    if (text.length > 40) text = text.slice(0, 39) + "…";
    var named = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };  // as lbf_rules/escape.py shows them
    return "'" + text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]/g, function (c) {
      var code = c.charCodeAt(0);
      return named[c] || (code < 0x100 ? "\\x" + code.toString(16).padStart(2, "0") : "\\u" + code.toString(16).padStart(4, "0"));
    }) + "'";
  }

  function significant(digits) { return digits.replace(/^0+/, "").replace(/0+$/, "").length; }

  function tooMany(text, count) {
    return refuse("for_mange_cifre", shown(text) + " har " + count + " betydende cifre; højst " + MAX_DIGITS +
                  " kan sammenlignes præcist, så tallet afvises i stedet for at blive afrundet");
  }

  function checkDigits(raw, digits) {
    var count = significant(digits);
    if (count > MAX_DIGITS || digits.length > MAX_DIGITS + 3) throw tooMany(raw, count);
  }

  function strip(text) {
    var chars = SPACES + "\t", start = 0, end = text.length;
    while (start < end && chars.indexOf(text[start]) >= 0) start++;
    while (end > start && chars.indexOf(text[end - 1]) >= 0) end--;
    return text.slice(start, end);
  }

  function notANumber(raw, kind) {
    var example = { antal: "1200 eller 1.200", kroner: "140000000 eller 140.000.000", procent: "45,2 eller 45,2 %", tal: "0,66" }[kind];
    return refuse("ikke_tal", shown(raw) + " er ikke " + KINDS[kind].toLowerCase() + " (skriv fx " + example + ")");
  }

  function rstripSpaces(text) { return text.replace(/[\u00a0\u202f\u2009 ]+$/, ""); }

  function stripUnit(raw, text, kind) {
    if (text.slice(-1) === "%") {
      if (kind !== "procent") throw refuse("enhed", shown(raw) + " har et procenttegn, men " + KINDS[kind].toLowerCase() + " er ikke en procent");
      return rstripSpaces(text.slice(0, -1));
    }
    if (kind === "kroner") {
      var units = [",-", "kr.", "kr"];
      for (var i = 0; i < units.length; i++) {
        if (text.toLowerCase().slice(-units[i].length) === units[i]) return rstripSpaces(text.slice(0, -units[i].length));
      }
    }
    return text;
  }

  function whole(raw, text, kind) {
    var what = KINDS[kind].toLowerCase(), comma = text.indexOf(",");
    if (comma >= 0) {
      var fraction = text.slice(comma + 1);
      if (!PLAIN.test(fraction)) throw notANumber(raw, kind);
      if (kind === "kroner" && /^0+$/.test(fraction)) text = text.slice(0, comma);
      else throw refuse("ikke_helt", shown(raw) + " har et decimalkomma; " + what + " skal være et helt tal" + (kind === "kroner" ? " (hele kroner)" : ""));
    }
    if (PLAIN.test(text)) { checkDigits(raw, text); return Number(text); }
    for (var sep in GROUPED) {
      if (GROUPED[sep].test(text)) { var digits = text.split(sep).join(""); checkDigits(raw, digits); return Number(digits); }
    }
    var m = /^([0-9]+)\.([0-9]+)$/.exec(text);
    if (m && (m[1].length > 3 || m[2].length !== 3 || m[1][0] === "0")) {
      throw refuse("ikke_helt", shown(raw) + " ligner et tal med decimalpunktum; " + what + " skal være et helt tal, " +
                   "og punktum bruges kun som tusindtalsskilletegn (fx 140.000.000)");
    }
    if (/^[0-9. \u00a0\u202f\u2009]+$/.test(text)) {
      throw refuse("tusindtal", shown(raw) + " har tusindtalsskilletegn de forkerte steder; skriv grupper på tre cifre (fx 1.200 eller 140.000.000)");
    }
    throw notANumber(raw, kind);
  }

  function decimal(raw, text, kind) {
    if (PLAIN.test(text)) { checkDigits(raw, text); return Number(text); }
    var m = DECIMAL.exec(text);
    if (!m) {
      if (/^(?:[0-9]+(?:[.,][0-9]+){2,}|[0-9]+(?:[ \u00a0\u202f\u2009][0-9]+)+)$/.test(text)) {
        throw refuse("tusindtal", shown(raw) + " har tusindtalsskilletegn, som ikke bruges i en procent eller et decimaltal");
      }
      throw notANumber(raw, kind);
    }
    var w = m[1], separator = m[2], f = m[3];
    if (separator === "." && f.length === 3 && w.length >= 1 && w.length <= 3 && w[0] !== "0") {
      throw refuse("tvetydig", shown(raw) + " er tvetydigt: punktum kan være tusindtalsskilletegn (" + w + f + ") eller decimaltegn (" +
                   w + "," + f + "); skriv " + w + "," + f + " med komma eller " + w + f + " uden punktum");
    }
    checkDigits(raw, w + f);
    return Number(w + "." + f);  // at most 15 significant digits: exactly the decimal written
  }

  function parse(text, kind) {
    if (!KINDS[kind]) throw new Error("ukendt art " + kind);
    var raw = String(text);
    if (raw.length > MAX_TEXT) {
      if (/^[-+−]?[0-9.,\s%]+$/.test(raw)) throw tooMany(raw, significant(raw.replace(/[^0-9]/g, "")));
      throw refuse("ikke_tal", shown(raw) + " er for langt til at være et tal");
    }
    var t = strip(raw);
    if (!t) throw refuse("tom", "der er ikke skrevet noget tal");
    var negative = t[0] === "-" || t[0] === "−";
    if ("-−+".indexOf(t[0]) >= 0) t = t.slice(1).replace(/^[\u00a0\u202f\u2009 ]+/, "");
    t = stripUnit(raw, t, kind);
    var value = kind === "antal" || kind === "kroner" ? whole(raw, t, kind) : decimal(raw, t, kind);
    if (negative && value !== 0) {
      if (kind !== "tal") throw refuse("negativ", shown(raw) + " er negativt; " + KINDS[kind].toLowerCase() + " kan ikke være negativ" + (kind === "procent" ? "" : "t"));
      value = -value;
    }
    return value;
  }

  global.LBFTal = { parse: parse, KINDS: KINDS };
})(typeof window !== "undefined" ? window : globalThis);
