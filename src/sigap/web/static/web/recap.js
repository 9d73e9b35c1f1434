/* SIGAP performance recap charts (Chart.js, vendored). No inline script (CSP): the data
   and the texts come from the #recap-config JSON that the page renders.
   kind "units": achievement % per sub-unit (or per employee), a bar each, 100 % marked;
   kind "days": an employee's approved and reported minutes per day against the schedule. */
(function () {
  "use strict";
  var source = document.getElementById("recap-config");
  var canvas = document.getElementById("recap-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var config = JSON.parse(source.textContent);
  var brand = "#0b5d7a", ok = "#1f7a3d", warn = "#a15c00", muted = "#9aa8b5";

  function unitsChart() {
    var colours = config.values.map(function (v) { return v >= 100 ? ok : (v >= 70 ? brand : warn); });
    return {
      type: "bar",
      data: {
        labels: config.labels,
        datasets: [{ label: config.label, data: config.values, backgroundColor: colours }]
      },
      options: {
        indexAxis: config.labels.length > 8 ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } }
      }
    };
  }

  function daysChart() {
    var texts = config.texts;
    return {
      type: "bar",
      data: {
        labels: config.labels,
        datasets: [
          { type: "line", label: texts.scheduled, data: config.scheduled, borderColor: muted,
            backgroundColor: muted, stepped: "middle", pointRadius: 0, borderWidth: 2 },
          { label: texts.approved, data: config.approved, backgroundColor: ok, stack: "m" },
          { label: texts.submitted, data: config.submitted.map(function (v, i) {
              return Math.max(0, v - config.approved[i]);
            }), backgroundColor: "#c9dbe3", stack: "m" }
        ]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }
      }
    };
  }

  /* eslint-disable-next-line no-new */
  new Chart(canvas, config.kind === "days" ? daysChart() : unitsChart());
}());
