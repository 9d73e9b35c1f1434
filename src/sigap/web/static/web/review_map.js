/* SIGAP review queue: one small map per flagged check-in, with the place (its geofence
   circle when it has a radius) and the check-in point with its accuracy. No inline script
   (CSP): the tile URL comes from #review-map-config, the points from data- attributes. */
(function () {
  "use strict";
  var holder = document.getElementById("review-map-config");
  if (!holder || typeof L === "undefined") { return; }
  var config = JSON.parse(holder.textContent);

  function number(el, name) {
    var raw = el.getAttribute("data-" + name);
    if (raw === null || raw === "") { return null; }
    var value = parseFloat(raw);
    return isNaN(value) ? null : value;
  }

  function draw(el) {
    var lat = number(el, "lat"), lon = number(el, "lon");
    var placeLat = number(el, "place-lat"), placeLon = number(el, "place-lon");
    if (lat === null || lon === null) { return; }
    var map = L.map(el, { zoomControl: false, attributionControl: !!config.tileUrl,
      scrollWheelZoom: false, maxZoom: 19 });
    if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }
    var shapes = L.featureGroup().addTo(map);
    if (placeLat !== null && placeLon !== null) {
      var radius = number(el, "radius");
      if (radius) {
        L.circle([placeLat, placeLon], { radius: radius, className: "map-fence" }).addTo(shapes);
      }
      L.circleMarker([placeLat, placeLon], { radius: 4, className: "map-fence" })
        .bindTooltip(config.strings.place + ": " + (el.getAttribute("data-place") || ""))
        .addTo(shapes);
    }
    var accuracy = number(el, "accuracy");
    if (accuracy) {
      L.circle([lat, lon], { radius: accuracy, className: "review-accuracy" }).addTo(shapes);
    }
    L.circleMarker([lat, lon], { radius: 7, className: "review-point" })
      .bindTooltip(config.strings.point).addTo(shapes);
    map.fitBounds(shapes.getBounds(), { padding: [20, 20], maxZoom: 18 });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".review-map"), draw);
})();
