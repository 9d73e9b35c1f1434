// The roll-call board: a full-screen switch for the hall's projector (htmx polls the rows).
(function () {
  "use strict";
  var button = document.getElementById("board-fullscreen");
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
