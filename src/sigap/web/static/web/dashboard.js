/* SIGAP attendance dashboard: Chart.js charts and table sorting. No inline script (CSP):
   the data comes from the #dash-config JSON inside the numbers partial (redrawn after each
   htmx refresh) and the #dash-trend JSON of the page. */
(function () {
  "use strict";
  var brand = "#0b5d7a", ok = "#1f7a3d", warn = "#a15c00", bad = "#b3261e";
  var charts = {};

  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function draw(id, spec) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") { return; }
    if (charts[id]) { charts[id].destroy(); }
    charts[id] = new Chart(canvas, spec);
  }

  function unitsChart(units) {
    var colours = units.values.map(function (v) { return v >= 90 ? ok : (v >= 70 ? brand : warn); });
    return {
      type: "bar",
      data: { labels: units.labels, datasets: [{ label: units.label, data: units.values, backgroundColor: colours }] },
      options: {
        indexAxis: units.labels.length > 8 ? "y" : "x", maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, max: units.labels.length > 8 ? 100 : undefined },
                  y: { beginAtZero: true, max: units.labels.length > 8 ? undefined : 100 } }
      }
    };
  }

  function modesChart(modes) {
    return {
      type: "doughnut",
      data: { labels: modes.labels, datasets: [{ data: modes.values, backgroundColor: [brand, ok, warn] }] },
      options: { maintainAspectRatio: false, animation: false }
    };
  }

  function trendChart(trend) {
    return {
      type: "line",
      data: { labels: trend.labels, datasets: [{ label: trend.label, data: trend.values, borderColor: brand,
        backgroundColor: brand, tension: 0.2, pointRadius: 2 }] },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, max: 100 } } }
    };
  }

  function drawNumbers() {
    var config = json("dash-config");
    if (!config) { return; }
    if (config.units.labels.length) { draw("dash-units-chart", unitsChart(config.units)); }
    draw("dash-modes-chart", modesChart(config.modes));
  }

  /* sorting: click a header with data-sort; cells carry their raw value in data-value */
  function sortBy(table, index, kind, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute("data-value") || "", y = b.cells[index].getAttribute("data-value") || "";
      var order = kind === "number" ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, "id");
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.addEventListener("click", function (event) {
    var th = event.target.closest("table.sortable th[data-sort]");
    if (!th) { return; }
    var table = th.closest("table");
    var descending = th.getAttribute("aria-sort") !== "descending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    sortBy(table, th.cellIndex, th.getAttribute("data-sort"), descending);
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "dash-numbers") { drawNumbers(); }
  });

  drawNumbers();
  var trend = json("dash-trend");
  if (trend) { draw("dash-trend-chart", trendChart(trend)); }
}());
