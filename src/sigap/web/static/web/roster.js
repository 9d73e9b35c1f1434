/* SIGAP roster grid: htmx does the requests and swaps; this file only tells the unit
   head when a request failed and puts the cursor in the override reason when asked.
   No inline script (CSP): the texts come from the #roster-config JSON. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("roster-config").textContent);
  var failed = document.getElementById("roster-failed");

  function showFailure() {
    if (!failed) { return; }
    failed.textContent = config.failed;
    failed.classList.remove("hidden");
  }

  document.body.addEventListener("htmx:responseError", showFailure);
  document.body.addEventListener("htmx:sendError", showFailure);

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var polling = event.detail && event.detail.elt && event.detail.elt.id === "roster-job";
    if (failed && !polling) { failed.classList.add("hidden"); }
  });

  /* A refused change brings the override form: put the cursor in its reason. */
  document.body.addEventListener("htmx:load", function (event) {
    var root = event.detail && event.detail.elt;
    var reason = root && root.querySelector ? root.querySelector("#override-reason") : null;
    if (reason) { reason.focus(); }
  });

  /* One recall form open at a time. */
  document.body.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("details.recall") || !opened.open) { return; }
    document.querySelectorAll("details.recall[open]").forEach(function (other) {
      if (other !== opened) { other.open = false; }
    });
  }, true);
}());
