// Test-only: appended to a copy of verdict.html by test_verdict_page.py, run by headless Chromium
// (--dump-dom). Measures the laid-out page and writes what it found into a pre element, id
// overflow-probe, as JSON: the layout viewport's width, the document's scroll width, and every element whose box
// leaves the viewport or whose content is wider than its table cell.
(function () {
  const root = document.documentElement;
  const width = root.clientWidth;
  const problems = [];
  const describe = (element) => {
    const classes = typeof element.className === "string" && element.className ? "." + element.className.trim().split(/\s+/).join(".") : "";
    return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + classes;
  };
  const text = (element) => (element.textContent || "").replace(/\s+/g, " ").trim().slice(0, 80);
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      problems.push(`${describe(element)} spans ${box.left.toFixed(1)}..${box.right.toFixed(1)} px of ${width}: ${text(element)}`);
    }
  }
  for (const cell of document.querySelectorAll("th, td")) {
    if (cell.scrollWidth > cell.clientWidth + 1) {
      problems.push(`${describe(cell)} holds ${cell.scrollWidth} px in ${cell.clientWidth} px: ${text(cell)}`);
    }
  }
  const charts = Array.from(document.querySelectorAll("svg"), (svg) => svg.getBoundingClientRect().width);
  const report = {
    viewport: width, innerWidth: window.innerWidth, scrollWidth: root.scrollWidth, scrollHeight: root.scrollHeight,
    problems, charts: charts.length, narrowestChart: charts.length ? Math.min(...charts) : null,
  };
  const out = document.createElement("pre");
  out.id = "overflow-probe";
  out.textContent = JSON.stringify(report);
  document.body.appendChild(out);
})();
