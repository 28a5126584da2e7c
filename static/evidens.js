// evidens: fold Datasette's long list of column descriptions into a <details> element.
document.querySelectorAll("dl.column-descriptions").forEach((dl) => {
  const details = document.createElement("details");
  details.className = "evidens-columns";
  const summary = document.createElement("summary");
  summary.textContent = `Kolonner · Column descriptions (${dl.querySelectorAll("dt").length})`;
  dl.parentNode.insertBefore(details, dl);
  details.append(summary, dl);
});

// evidens: name Datasette's unlabelled filter controls, for screen readers (WCAG 1.3.1, 4.1.2).
const FILTER_NAMES = {
  "_filter_column": "Filter column",
  "_filter_op": "Filter operator",
  "_filter_value": "Filter value",
  "_sort": "Sort by column",
  sql: "SQL query",
};
const nameControls = () =>
  document.querySelectorAll("select, input, textarea").forEach((el) => {
  const base = (el.name || "").replace(/_\d+$/, "");
  const name = FILTER_NAMES[base] || (el.classList.contains("filter-value") ? "Filter value" : el.tagName === "TEXTAREA" ? "SQL query" : null);
  if (name && !el.labels?.length && !el.getAttribute("aria-label")) el.setAttribute("aria-label", name);
});
nameControls();
window.addEventListener("load", () => setTimeout(nameControls, 0));

// evidens: scrollable tables reachable by keyboard (axe: scrollable-region-focusable).
document.querySelectorAll(".table-wrapper").forEach((el) => {
  el.setAttribute("tabindex", "0");
  el.setAttribute("role", "region");
  el.setAttribute("aria-label", "Table (scrolls sideways)");
});
