// evidens: fold Datasette's long list of column descriptions into a <details> element.
document.querySelectorAll("dl.column-descriptions").forEach((dl) => {
  const details = document.createElement("details");
  details.className = "evidens-columns";
  const summary = document.createElement("summary");
  summary.textContent = `Kolonner · Column descriptions (${dl.querySelectorAll("dt").length})`;
  dl.parentNode.insertBefore(details, dl);
  details.append(summary, dl);
});
