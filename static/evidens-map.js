// evidens: the interactive evidence-gap map. Reads its data from <script id="evidens-map-data">
// (inlined by the server, and in the offline file), draws a table of bubbles, and keeps the view
// (filters, axes, chosen cell) in the URL: the query string on the site, the hash offline.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("evidens-map-data").textContent);
  var T = D.text, SITE = D.site, LANG = SITE.lang, OFFLINE = !!SITE.offline;
  var COL_INDEX = { country: 2, service_area: 3, method: 4 };
  var FILTERS = ["country", "service_area", "method"];
  var KEYS = ["rows", "cols", "country", "service_area", "method", "year_from", "year_to", "stance", "op", "cell", "view"];
  var DEFAULTS = { rows: "concept", cols: "country", op: "and", view: "bubbles" };
  var NONE = "_none";
  var form = document.getElementById("evidens-map-form");
  var grid = document.getElementById("evidens-map-grid");
  var panel = document.getElementById("evidens-map-cell");
  var state = {};

  function label(kind, code) {
    if (code === NONE) return T.not_reported;
    var l = (D.labels[kind] || {})[code];
    return l ? l[LANG] : code;
  }
  function conceptLabel(c) { return LANG === "en" ? c[2] : c[1]; }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function aggregate(a, b) { // supports+contradicts → mixed; mentions only when nothing else
    if (!a || a === b) return b;
    if (a === "mentions") return b;
    if (b === "mentions") return a;
    return "mixed";
  }

  function readState() {
    var raw = OFFLINE ? location.hash.replace(/^#/, "") : location.search.replace(/^\?/, "");
    var params = new URLSearchParams(raw);
    var initial = OFFLINE && !raw ? (D.state || {}) : {};
    state = {};
    KEYS.forEach(function (k) { state[k] = params.get(k) || initial[k] || DEFAULTS[k] || ""; });
    if (!COL_INDEX[state.cols]) state.cols = "country";
    if (state.rows !== "dimension") state.rows = "concept";
  }
  function query() {
    var params = new URLSearchParams();
    if (!OFFLINE && LANG !== "da") params.set("lang", LANG);
    KEYS.forEach(function (k) { if (state[k] && state[k] !== DEFAULTS[k]) params.set(k, state[k]); });
    return params.toString();
  }
  function writeState() {
    var q = query();
    try {
      if (OFFLINE) history.replaceState(null, "", q ? "#" + q : location.pathname);
      else history.replaceState(null, "", location.pathname + (q ? "?" + q : ""));
    } catch (e) { /* some browsers refuse history changes on file:// */ }
    var download = document.getElementById("evidens-map-download");
    if (download) download.href = SITE.download + (q ? "?" + q : "");
    var shown = document.getElementById("evidens-map-state");
    if (shown) shown.textContent = describeFilters();
  }
  function describeFilters() {
    var parts = [];
    FILTERS.forEach(function (f) { if (state[f]) parts.push(T[f] + ": " + label(f, state[f])); });
    if (state.year_from) parts.push(T.year_from + ": " + state.year_from);
    if (state.year_to) parts.push(T.year_to + ": " + state.year_to);
    if (state.stance) parts.push(T.stance + ": " + label("stance", state.stance));
    var active = FILTERS.filter(function (f) { return state[f]; }).length;
    if (active > 1) parts.push(T.combine + " " + T[state.op]);
    return parts.length ? parts.join("; ") : T.any;
  }

  function studyPasses(ref) {
    var s = D.studies[ref];
    if (!s) return false;
    if (state.year_from && s[1] < +state.year_from) return false;
    if (state.year_to && s[1] > +state.year_to) return false;
    var tests = FILTERS.filter(function (f) { return state[f]; }).map(function (f) {
      return s[COL_INDEX[f]].indexOf(state[f]) >= 0;
    });
    if (!tests.length) return true;
    return state.op === "or" ? tests.indexOf(true) >= 0 : tests.indexOf(false) < 0;
  }

  function rowsOf() { // [{key, label, group, href}]
    if (state.rows === "dimension") {
      return Object.keys(D.labels.dimension).map(function (d) {
        return { key: d, label: label("dimension", d), group: null };
      });
    }
    return D.concepts.map(function (c) {
      return { key: c[0], label: conceptLabel(c), group: c[3], depth: c[5] || 0, href: SITE.concept + encodeURIComponent(c[0]) + (LANG === "en" ? "?lang=en" : "") };
    });
  }
  var conceptDimension = {};
  D.concepts.forEach(function (c) { conceptDimension[c[0]] = c[3]; });

  function cells() { // row → col → {ref: {stance, claims}}
    var out = {}, idx = COL_INDEX[state.cols];
    D.evidence.forEach(function (e) {
      if (!studyPasses(e[1]) || (state.stance && e[2] !== state.stance)) return;
      var row = state.rows === "dimension" ? conceptDimension[e[0]] : e[0];
      var codes = D.studies[e[1]][idx];
      (codes.length ? codes : [NONE]).forEach(function (col) {
        var r = (out[row] = out[row] || {}), c = (r[col] = r[col] || {});
        var hit = (c[e[1]] = c[e[1]] || { stance: null, claims: [] });
        hit.stance = aggregate(hit.stance, e[2]);
        e[3].forEach(function (id) { if (hit.claims.indexOf(id) < 0) hit.claims.push(id); });
      });
    });
    return out;
  }

  function stanceCounts(cell) {
    var n = {};
    Object.keys(cell).forEach(function (ref) { n[cell[ref].stance] = (n[cell[ref].stance] || 0) + 1; });
    return n;
  }
  function countText(total, counts) {
    var parts = Object.keys(D.labels.stance).filter(function (s) { return counts[s]; }).map(function (s) {
      return counts[s] + " " + label("stance", s);
    });
    return total + " " + (total === 1 ? T.study.toLowerCase() : T.studies.toLowerCase()) + (parts.length ? " (" + parts.join(", ") + ")" : "");
  }
  function bubble(total, counts, max) {
    var size = Math.round(12 + 28 * Math.sqrt(total / max));
    var stops = [], at = 0;
    Object.keys(D.labels.stance).forEach(function (s) {
      if (!counts[s]) return;
      var to = at + (360 * counts[s]) / total;
      stops.push("var(--evidens-" + s + ") " + at + "deg " + to + "deg");
      at = to;
    });
    var dot = el("span", { class: "evidens-dot", "aria-hidden": "true" });
    dot.style.width = dot.style.height = size + "px";
    dot.style.background = "conic-gradient(" + stops.join(", ") + ")";
    return dot;
  }

  function columns(data) {
    var codes = Object.keys(D.labels[state.cols]);
    return codes.concat([NONE]);
  }

  function drawGrid() {
    var data = cells(), cols = columns(data), rows = rowsOf(), max = 1, group = null;
    rows.forEach(function (r) { cols.forEach(function (c) { max = Math.max(max, Object.keys((data[r.key] || {})[c] || {}).length); }); });
    var head = el("tr", {}, [el("th", { scope: "col", text: state.rows === "dimension" ? T.dimension : T.concept })]);
    cols.forEach(function (c) { head.appendChild(el("th", { scope: "col", text: label(state.cols, c) })); });
    var body = el("tbody");
    rows.forEach(function (r) {
      if (r.group && r.group !== group) {
        group = r.group;
        body.appendChild(el("tr", { class: "evidens-dim" }, [el("th", { scope: "colgroup", colspan: String(cols.length + 1), text: label("dimension", group) })]));
      }
      var th = el("th", { scope: "row", class: r.depth ? "evidens-narrower evidens-depth-" + Math.min(r.depth, 3) : "" }, [r.href ? el("a", { href: r.href, text: r.label }) : el("span", { text: r.label })]);
      var tr = el("tr", {}, [th]);
      cols.forEach(function (c) { tr.appendChild(cellNode(r, c, (data[r.key] || {})[c] || {}, max)); });
      body.appendChild(tr);
    });
    var table = el("table", { class: "evidens-grid" + (state.view === "numbers" ? " evidens-numbers" : "") }, [
      el("caption", { text: T.map + ": " + (state.rows === "dimension" ? T.by_dimension : T.by_concept) + " × " + T[state.cols] + " — " + describeFilters() }),
      el("thead", {}, [head]), body,
    ]);
    grid.replaceChildren(table);
  }

  function cellNode(r, c, cell, max) {
    var total = Object.keys(cell).length;
    if (!total) return el("td", { class: "evidens-empty" }, [el("span", { class: "evidens-sr", text: "0" })]);
    var counts = stanceCounts(cell), text = countText(total, counts);
    var key = r.key + "~" + c;
    var button = el("button", {
      type: "button", class: "evidens-cell", "data-cell": key, "aria-pressed": String(state.cell === key),
      "aria-label": r.label + " × " + label(state.cols, c) + ": " + text, title: text,
    }, [bubble(total, counts, max), el("span", { class: "evidens-n", text: state.view === "numbers" ? text : String(total) })]);
    return el("td", {}, [button]);
  }

  function sectionTitle(section) {
    var t = (D.sections || {})[section];
    return t ? t[LANG === "en" ? 1 : 0] : "";
  }
  function quote(da, en) { // on an English map: the English rendering, the Danish verbatim one click away
    if (LANG !== "en" || !en) return [el("q", { lang: "da", text: da })];
    return [el("q", { lang: "en", text: en }), el("details", { class: "evidens-original" }, [
      el("summary", { text: T.danish_original }), el("q", { lang: "da", text: da })])];
  }

  function drawCell(focus) {
    panel.replaceChildren();
    if (!state.cell) { panel.appendChild(el("p", { text: T.cell_hint })); return; }
    var parts = state.cell.split("~"), rowKey = parts[0], col = parts[1];
    var row = rowsOf().filter(function (r) { return r.key === rowKey; })[0];
    var cell = (cells()[rowKey] || {})[col] || {};
    var refs = Object.keys(cell).sort(function (a, b) { return a - b; });
    var heading = el("h2", { id: "evidens-cell-heading", tabindex: "-1", text: (row ? row.label : rowKey) + " × " + label(state.cols, col) + ": " + countText(refs.length, stanceCounts(cell)) });
    var list = el("ol", { class: "evidens-cell-studies" });
    refs.forEach(function (ref) {
      var s = D.studies[ref], hit = cell[ref];
      var href = SITE.study + ref + (LANG === "en" ? "?lang=en" : "");
      var quotes = el("ul", {}, hit.claims.map(function (id) {
        var q = D.claims[id];
        return q ? el("li", {}, quote(q[1], q[2]).concat([el("span", { class: "evidens-cite", text: " (" + T.section + " " + q[0] + " " + sectionTitle(q[0]) + ")" })])) : null;
      }));
      list.appendChild(el("li", { "data-ref": ref }, [
        el("a", { href: href, text: s[0] }), el("span", { text: " (" + ref + ") " }),
        el("span", { class: "evidens-stance evidens-stance-" + hit.stance, text: label("stance", hit.stance) }), quotes,
      ]));
    });
    panel.append(heading, list);
    if (focus) heading.focus();
  }

  function syncForm() {
    KEYS.forEach(function (k) {
      var input = form.elements[k];
      if (!input) return;
      if (input.type === "checkbox") input.checked = state[k] === "numbers";
      else if (input.length && input[0] && input[0].type === "radio") {
        Array.prototype.forEach.call(input, function (r) { r.checked = r.value === state[k]; });
      } else input.value = state[k];
    });
  }
  function readForm() {
    var axes = state.rows + "|" + state.cols;
    KEYS.forEach(function (k) {
      var input = form.elements[k];
      if (!input) return;
      if (input.type === "checkbox") state[k] = input.checked ? "numbers" : "bubbles";
      else state[k] = input.value;
    });
    if (state.rows + "|" + state.cols !== axes) state.cell = "";  // the old axes' cell is gone
  }
  function update(focusCell) { writeState(); drawGrid(); drawCell(focusCell); }

  readState();
  syncForm();
  form.addEventListener("change", function () { readForm(); update(false); });
  form.addEventListener("submit", function (e) { e.preventDefault(); readForm(); update(false); });
  form.addEventListener("reset", function () {
    setTimeout(function () { state = Object.assign({}, DEFAULTS); syncForm(); update(false); }, 0);
  });
  grid.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-cell]");
    if (!button) return;
    state.cell = button.getAttribute("data-cell");
    grid.querySelectorAll("button[aria-pressed=true]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    button.setAttribute("aria-pressed", "true");
    writeState();
    drawCell(true);
  });
  update(false);
  document.documentElement.classList.add("evidens-map-ready");
})();
