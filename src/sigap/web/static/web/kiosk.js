// The office QR kiosk: the countdown ticks every second between htmx's polls of the code,
// and a full-screen switch for the screen at the entrance.
(function () {
  "use strict";
  window.setInterval(function () {
    var live = document.getElementById("kiosk-live");
    var shown = document.getElementById("kiosk-seconds");
    if (!live || !shown) return;
    var left = parseInt(live.getAttribute("data-seconds-left"), 10);
    if (isNaN(left) || left <= 1) return; // the next poll brings the new code
    live.setAttribute("data-seconds-left", String(left - 1));
    shown.textContent = String(left - 1);
  }, 1000);
  var button = document.getElementById("kiosk-fullscreen");
  if (!button || !document.documentElement.requestFullscreen) {
    if (button) button.hidden = true;
    return;
  }
  button.addEventListener("click", function () {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen();
    }
  });
})();
