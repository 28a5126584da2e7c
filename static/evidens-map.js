// evidens: the interactive evidence-gap map. Reads its data from <script id="evidens-map-data">
// (inlined by the server, and in the offline file), draws a table of bubbles, and keeps the view
// (filters, axes, chosen cell) in the URL: the query string on the site, the hash offline. A filter
// takes several values (country=DK&country=SE); the map is a grid for the keyboard (WAI-ARIA grid
// pattern: one tab stop, the arrow keys move between cells).
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("evidens-map-data").textContent);
  var T = D.text, SITE = D.site, LANG = SITE.lang, OFFLINE = !!SITE.offline;
  var COL_INDEX = { country: 2, service_area: 3, method: 4, finding_dimension: 5 };
  var FILTERS = ["country", "service_area", "method", "finding_dimension"];
  var MULTI = FILTERS.concat(["stance"]);
  var KEYS = ["rows", "cols"].concat(MULTI, ["op", "view", "year_from", "year_to", "cell"]);
  var DEFAULTS = { rows: "concept", cols: "country", op: "and", view: "bubbles" };
  var NONE = SITE.none; // the "not reported" column: not_reported, as the API and the views name it
  var PAGE_ROWS = 10;
  var form = document.getElementById("evidens-map-form");
  var controls = document.getElementById("evidens-map-controls");
  var grid = document.getElementById("evidens-map-grid");
  var panel = document.getElementById("evidens-map-cell");
  var state = {};
  var focusAt = null; // [row, column] of the grid's one tab stop

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

  // --- the state and the URL ---------------------------------------------------------------------
  function readState() {
    var raw = OFFLINE ? location.hash.replace(/^#/, "") : location.search.replace(/^\?/, "");
    var params = new URLSearchParams(raw);
    var initial = OFFLINE && !raw ? (D.state || {}) : {};
    state = {};
    KEYS.forEach(function (k) {
      if (MULTI.indexOf(k) >= 0) {
        var given = params.getAll(k);
        var from = given.length ? given : [].concat(initial[k] || []);
        state[k] = from.filter(function (v) { return v && (D.labels[k] || {})[v]; });
      } else state[k] = params.get(k) || initial[k] || DEFAULTS[k] || "";
    });
    if (!COL_INDEX[state.cols]) state.cols = "country";
    if (state.rows !== "dimension") state.rows = "concept";
    state.cell = state.cell.replace(/~_none$/, "~" + NONE); // the column's former id, in old links
  }
  function query() {
    var params = new URLSearchParams();
    if (!OFFLINE && LANG !== "da") params.set("lang", LANG);
    KEYS.forEach(function (k) {
      if (MULTI.indexOf(k) >= 0) state[k].forEach(function (v) { params.append(k, v); });
      else if (state[k] && state[k] !== DEFAULTS[k]) params.set(k, state[k]);
    });
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
    var described = describeFilters();
    var shown = document.getElementById("evidens-map-state");
    if (shown) shown.textContent = described;
    var summary = document.getElementById("evidens-map-summary");
    if (summary) summary.textContent = T[state.cols] + "; " + described;
    MULTI.forEach(function (k) {
      var chosen = document.querySelector("#m-" + k + " .evidens-multi-chosen");
      if (chosen) chosen.textContent = state[k].length ? state[k].map(function (v) { return label(k, v); }).join(", ") : T.any;
    });
    var note = document.getElementById("evidens-effect-note");
    if (note) note.hidden = !(state.cols === "finding_dimension" || state.finding_dimension.length);
  }
  function describeFilters() {
    var parts = [];
    MULTI.forEach(function (f) {
      if (state[f].length) parts.push(T[f] + ": " + state[f].map(function (v) { return label(f, v); }).join(", "));
    });
    if (state.year_from) parts.push(T.year_from + ": " + state.year_from);
    if (state.year_to) parts.push(T.year_to + ": " + state.year_to);
    if (conditions().length > 1) parts.push(T.combine + " " + T[state.op]);
    return parts.length ? parts.join("; ") : T.any;
  }

  // --- which studies and cells ------------------------------------------------------------------
  function conditions() { // every chosen value of a filter is one condition, combined by op
    var out = [];
    FILTERS.forEach(function (f) { state[f].forEach(function (v) { out.push([f, v]); }); });
    return out;
  }
  function studyPasses(ref) {
    var s = D.studies[ref];
    if (!s) return false;
    if (state.year_from && s[1] < +state.year_from) return false;
    if (state.year_to && s[1] > +state.year_to) return false;
    var tests = conditions().map(function (c) { return (s[COL_INDEX[c[0]]] || []).indexOf(c[1]) >= 0; });
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
      if (!studyPasses(e[1]) || (state.stance.length && state.stance.indexOf(e[2]) < 0)) return;
      var row = state.rows === "dimension" ? conceptDimension[e[0]] : e[0];
      var codes = D.studies[e[1]][idx] || [];
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

  // --- drawing ----------------------------------------------------------------------------------
  function drawGrid() {
    var data = cells(), cols = Object.keys(D.labels[state.cols]).concat([NONE]), rows = rowsOf(), max = 1, group = null, r = 0;
    rows.forEach(function (row) { cols.forEach(function (c) { max = Math.max(max, Object.keys((data[row.key] || {})[c] || {}).length); }); });
    var head = el("tr", {}, [el("th", { scope: "col", text: state.rows === "dimension" ? T.dimension : T.concept })]);
    cols.forEach(function (c) { head.appendChild(el("th", { scope: "col", text: label(state.cols, c) })); });
    var body = el("tbody");
    rows.forEach(function (row) {
      if (row.group && row.group !== group) {
        group = row.group;
        body.appendChild(el("tr", { class: "evidens-dim" }, [el("th", { scope: "colgroup", colspan: String(cols.length + 1), text: label("dimension", group) })]));
      }
      var name = row.href ? el("a", { href: row.href, text: row.label }) : el("span", { text: row.label });
      var th = el("th", { scope: "row", class: row.depth ? "evidens-narrower evidens-depth-" + Math.min(row.depth, 3) : "" }, [name]);
      target(row.href ? name : th, r, 0);
      var tr = el("tr", {}, [th]);
      cols.forEach(function (c, i) { tr.appendChild(cellNode(row, c, (data[row.key] || {})[c] || {}, max, r, i + 1)); });
      body.appendChild(tr);
      r += 1;
    });
    var table = el("table", { class: "evidens-grid" + (state.view === "numbers" ? " evidens-numbers" : ""), role: "grid", "aria-describedby": "evidens-map-state" }, [
      el("caption", { text: T.map + ": " + (state.rows === "dimension" ? T.by_dimension : T.by_concept) + " × " + T[state.cols] + " — " + describeFilters() }),
      el("thead", {}, [head]), body,
    ]);
    grid.replaceChildren(table);
    rove(focusAt || chosenPosition() || [0, 1], false);
  }

  function target(node, r, c) { // a cell of the keyboard grid
    node.setAttribute("data-r", String(r));
    node.setAttribute("data-c", String(c));
    node.setAttribute("tabindex", "-1");
    return node;
  }

  function cellNode(row, c, cell, max, r, i) {
    var total = Object.keys(cell).length;
    if (!total) {
      return target(el("td", { class: "evidens-empty", "aria-label": row.label + " × " + label(state.cols, c) + ": 0" }, [el("span", { class: "evidens-sr", text: "0" })]), r, i);
    }
    var counts = stanceCounts(cell), text = countText(total, counts);
    var key = row.key + "~" + c;
    var button = el("button", {
      type: "button", class: "evidens-cell", "data-cell": key, "aria-pressed": String(state.cell === key),
      "aria-label": row.label + " × " + label(state.cols, c) + ": " + text, title: text,
    }, [bubble(total, counts, max), el("span", { class: "evidens-n", text: state.view === "numbers" ? text : String(total) })]);
    return el("td", {}, [target(button, r, i)]);
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
    var quoted = {}; // a sentence citing several of the cell's studies is quoted once, then pointed to
    refs.forEach(function (ref) {
      var s = D.studies[ref], hit = cell[ref];
      var href = SITE.study + ref + (LANG === "en" ? "?lang=en" : "");
      var quotes = el("ul", {}, hit.claims.map(function (id) {
        var q = D.claims[id];
        if (!q) return null;
        var cite = el("span", { class: "evidens-cite", text: " (" + T.section + " " + q[0] + " " + sectionTitle(q[0]) + ")" });
        var first = quoted[q[0] + "\n" + q[1]];
        if (first) return el("li", { class: "evidens-same" }, [el("span", { text: T.same_sentence + " " + first }), cite]);
        quoted[q[0] + "\n" + q[1]] = s[0] + " (" + ref + ")";
        return el("li", {}, quote(q[1], q[2]).concat([cite]));
      }));
      list.appendChild(el("li", { "data-ref": ref }, [
        el("a", { href: href, text: s[0] }), el("span", { text: " (" + ref + ") " }),
        el("span", { class: "evidens-stance evidens-stance-" + hit.stance, text: label("stance", hit.stance) }), quotes,
      ]));
    });
    panel.append(heading, list);
    if (focus) heading.focus();
  }

  // --- the keyboard grid (roving tabindex) -----------------------------------------------------
  function at(r, c) { return grid.querySelector('[data-r="' + r + '"][data-c="' + c + '"]'); }
  function chosenPosition() {
    var b = state.cell && grid.querySelector('button[data-cell="' + state.cell.replace(/"/g, "") + '"]');
    return b ? [+b.getAttribute("data-r"), +b.getAttribute("data-c")] : null;
  }
  function rove(pos, focus) {
    var node = at(pos[0], pos[1]) || at(0, 1) || at(0, 0);
    if (!node) return;
    grid.querySelectorAll('[data-r][tabindex="0"]').forEach(function (n) { n.setAttribute("tabindex", "-1"); });
    node.setAttribute("tabindex", "0");
    focusAt = [+node.getAttribute("data-r"), +node.getAttribute("data-c")];
    if (focus) node.focus();
  }
  var MOVES = {
    ArrowRight: function (p) { return [p[0], p[1] + 1]; },
    ArrowLeft: function (p) { return [p[0], p[1] - 1]; },
    ArrowDown: function (p) { return [p[0] + 1, p[1]]; },
    ArrowUp: function (p) { return [p[0] - 1, p[1]]; },
    PageDown: function (p) { return [p[0] + PAGE_ROWS, p[1]]; },
    PageUp: function (p) { return [p[0] - PAGE_ROWS, p[1]]; },
    Home: function (p, e) { return e.ctrlKey ? [0, 0] : [p[0], 0]; },
    End: function (p, e, last) { return e.ctrlKey ? last : [p[0], last[1]]; },
  };
  grid.addEventListener("keydown", function (e) {
    var node = e.target.closest("[data-r]");
    if (!node || !MOVES[e.key]) return;
    var all = grid.querySelectorAll("[data-r]"), lastNode = all[all.length - 1];
    var last = [+lastNode.getAttribute("data-r"), +lastNode.getAttribute("data-c")];
    var to = MOVES[e.key]([+node.getAttribute("data-r"), +node.getAttribute("data-c")], e, last);
    to = [Math.max(0, Math.min(to[0], last[0])), Math.max(0, Math.min(to[1], last[1]))];
    e.preventDefault();
    rove(to, true);
  });
  grid.addEventListener("focusin", function (e) {
    var node = e.target.closest("[data-r]");
    if (node) rove([+node.getAttribute("data-r"), +node.getAttribute("data-c")], false);
  });

  // --- the form ---------------------------------------------------------------------------------
  function inputs(k) { return form.querySelectorAll('[name="' + k + '"]'); }
  function syncForm() {
    KEYS.forEach(function (k) {
      inputs(k).forEach(function (input) {
        if (input.type === "checkbox" && MULTI.indexOf(k) >= 0) input.checked = state[k].indexOf(input.value) >= 0;
        else if (input.type === "checkbox") input.checked = state[k] === "numbers";
        else input.value = state[k];
      });
    });
  }
  function readForm() {
    var axes = state.rows + "|" + state.cols;
    KEYS.forEach(function (k) {
      var found = inputs(k);
      if (!found.length) return;
      if (MULTI.indexOf(k) >= 0) {
        state[k] = Array.prototype.filter.call(found, function (i) { return i.checked; }).map(function (i) { return i.value; });
      } else if (found[0].type === "checkbox") state[k] = found[0].checked ? "numbers" : "bubbles";
      else state[k] = found[0].value;
    });
    if (state.rows + "|" + state.cols !== axes) { state.cell = ""; focusAt = null; }  // the old axes' cell is gone
  }
  function update(focusCell) { writeState(); drawGrid(); drawCell(focusCell); }

  readState();
  syncForm();
  if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) controls.open = true;
  form.addEventListener("change", function () { readForm(); update(false); });
  form.addEventListener("submit", function (e) { e.preventDefault(); readForm(); update(false); });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      KEYS.forEach(function (k) { state[k] = MULTI.indexOf(k) >= 0 ? [] : (DEFAULTS[k] || ""); });
      focusAt = null; syncForm(); update(false);
    }, 0);
  });
  // a filter's list of values closes on Escape and when the focus or a click goes elsewhere
  document.addEventListener("click", function (e) {
    form.querySelectorAll("details.evidens-multi[open]").forEach(function (d) { if (!d.contains(e.target)) d.open = false; });
  });
  form.addEventListener("keydown", function (e) {
    var open = e.target.closest("details.evidens-multi[open]");
    if (e.key === "Escape" && open) { open.open = false; open.querySelector("summary").focus(); }
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
