/* SIGAP daily reports. No inline script (CSP): data comes as JSON (json_script).
   - The report form: add and remove activity rows (a Django formset: a new row is the
     <template> of the empty form; a removed row simply leaves the page, the server
     ignores rows it does not receive or that are empty), "repeat yesterday's activities"
     (fills the rows from #report-previous without a reload), drop a kept evidence file.
   - The review queue: "tick all" for the bulk approval.
   - The phone page (/presensi/): shows the daily report card when a report is required
     today (asks /kinerja/hari-ini/, the same answer as GET /me). */
(function () {
  "use strict";

  function reportCard() {
    var card = document.getElementById("report-today");
    if (!card || !card.dataset.src || !window.fetch) { return; }
    fetch(card.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (duty) {
        if (!duty || !(duty.required || duty.submitted)) { return; }
        var state = document.getElementById(duty.submitted ? "report-today-submitted" : "report-today-required");
        if (state) { state.classList.remove("hidden"); }
        card.classList.remove("hidden");
      })
      .catch(function () { /* offline: the nav link still leads to the form */ });
  }

  function tickAll() {
    var all = document.getElementById("tick-all");
    if (!all) { return; }
    all.addEventListener("change", function () {
      document.querySelectorAll("input.tick[form=bulk-form]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }

  function reportForm() {
    var form = document.getElementById("report-form");
    if (!form) { return; }
    var list = document.getElementById("activities");
    var template = document.getElementById("activity-template");
    var total = form.querySelector("input[name=activity-TOTAL_FORMS]");

    function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }

    function addRow() {
      var index = Number(total.value);
      list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      return list.lastElementChild;
    }

    function isEmpty(row) {
      return ["description", "minutes", "output_unit", "evidence_url"].every(function (name) {
        var input = field(row, name);
        return !input || !input.value.trim();
      });
    }

    function fill(row, activity) {
      ["description", "output_qty", "output_unit", "minutes"].forEach(function (name) {
        var input = field(row, name);
        if (input && activity[name] !== null && activity[name] !== undefined) {
          input.value = String(activity[name]);
        }
      });
      var task = field(row, "task");
      if (task && activity.task) {
        task.value = String(activity.task);
        if (task.value !== String(activity.task)) { task.value = ""; } /* no longer open */
      }
    }

    function repeatPrevious(event) {
      var source = document.getElementById("report-previous");
      var previous = source ? JSON.parse(source.textContent) : [];
      if (!previous.length) { return; }
      event.preventDefault();
      var empty = Array.prototype.filter.call(list.querySelectorAll("fieldset.activity"), isEmpty);
      previous.forEach(function (activity) { fill(empty.shift() || addRow(), activity); });
      var first = list.querySelector("fieldset.activity textarea");
      if (first) { first.focus(); }
    }

    var repeat = document.getElementById("repeat-previous");
    if (repeat) { repeat.addEventListener("click", repeatPrevious); }

    document.getElementById("add-activity").addEventListener("click", function () {
      var row = addRow();
      var text = row.querySelector("textarea");
      if (text) { text.focus(); }
    });

    list.addEventListener("click", function (event) {
      var target = event.target;
      var row = target.closest ? target.closest("fieldset.activity") : null;
      if (!row) { return; }
      if (target.classList.contains("remove-row")) {
        row.remove();
        if (!list.querySelector("fieldset.activity")) { addRow(); }
      } else if (target.classList.contains("drop-evidence")) {
        field(row, "evidence_kept").value = "";
        target.closest(".kept-evidence").remove();
      }
    });
  }

  reportCard();
  tickAll();
  reportForm();
}());
