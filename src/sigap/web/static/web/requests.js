/* SIGAP requests: on the form, show only the fields of the chosen type (each field's
   wrapper lists its types in data-types; the server ignores the others anyway); in the
   approvals queue, "select all" ticks every request for the bulk approval.
   No inline script (CSP); without JavaScript every field stays visible. */
(function () {
  "use strict";

  var type = document.getElementById("id_type");
  if (type) {
    var fields = document.querySelectorAll("#request-form [data-types]");
    var apply = function () {
      fields.forEach(function (field) {
        var types = field.getAttribute("data-types").split(" ");
        field.classList.toggle("hidden", types.indexOf(type.value) === -1);
      });
    };
    type.addEventListener("change", apply);
    apply();
  }

  var all = document.getElementById("select-all");
  if (all) {
    var picks = document.querySelectorAll("input.bulk-pick");
    all.addEventListener("change", function () {
      picks.forEach(function (pick) { pick.checked = all.checked; });
    });
    picks.forEach(function (pick) {
      pick.addEventListener("change", function () {
        var ticked = Array.prototype.filter.call(picks, function (p) { return p.checked; });
        all.checked = ticked.length === picks.length;
        all.indeterminate = ticked.length > 0 && ticked.length < picks.length;
      });
    });
  }
}());
