/* SIGAP check-in map: geofences and the day's check-ins of the caller's scope, clustered.
   No inline script or style (CSP): configuration from #map-config, data from the JSON
   endpoint, colours from CSS classes, popups built as DOM nodes (never as HTML strings). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var S = config.strings;
  var RANK = { accepted: 0, flagged: 1, refused: 2 };
  var form = document.getElementById("map-filters");
  var status = document.getElementById("map-status");
  var map = null, fences = null, clusters = null, fitted = false;

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined && text !== null) { el.textContent = text; }
    return el;
  }

  function row(list, label, value) {
    if (value === undefined || value === null || value === "") { return; }
    list.appendChild(node("dt", null, label));
    list.appendChild(node("dd", null, value));
  }

  function popup(p) {
    var box = node("div", "map-popup");
    box.appendChild(node("strong", null, p.name));
    box.appendChild(node("div", "muted", p.unit));
    box.appendChild(node("div", "map-popup-cat " + p.cat, S.categories[p.cat]));
    var list = node("dl", "facts");
    row(list, S.time, p.time);
    row(list, S.kind, S.kinds[p.kind] || p.kind);
    row(list, S.mode, p.mode);
    var place = p.place;
    if (p.distance !== null && p.distance !== undefined) {
      place = (place ? place + " · " : "") + fmt(S.distance, { d: p.distance });
    }
    row(list, S.place, place);
    row(list, S.reasons, p.reasons.join(", "));
    box.appendChild(list);
    return box;
  }

  function clusterIcon(cluster) {
    var worst = "accepted";
    cluster.getAllChildMarkers().forEach(function (m) {
      if (RANK[m.options.category] > RANK[worst]) { worst = m.options.category; }
    });
    var n = cluster.getChildCount();
    var size = n < 10 ? "small" : (n < 100 ? "medium" : "large");
    return L.divIcon({
      html: "<div><span>" + n + "</span></div>",
      className: "marker-cluster marker-cluster-" + size + " map-cluster-" + worst,
      iconSize: L.point(40, 40)
    });
  }

  function start() {
    map = L.map("checkin-map", { attributionControl: !!config.tileUrl, maxZoom: 19, minZoom: 3 });
    map.setView([-2.5, 118], 5); // Indonesia, until the data arrives
    if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }
    fences = L.featureGroup().addTo(map);
    clusters = L.markerClusterGroup({ chunkedLoading: true, iconCreateFunction: clusterIcon,
      showCoverageOnHover: false, maxClusterRadius: 50 });
    map.addLayer(clusters);
  }

  function drawOffices(offices) {
    fences.clearLayers();
    offices.forEach(function (o) {
      var shape = o.polygon
        ? L.polygon(o.polygon, { className: "map-fence" })
        : L.circle([o.lat, o.lon], { radius: o.radius || 50, className: "map-fence" });
      shape.bindTooltip(o.name);
      fences.addLayer(shape);
    });
  }

  function drawPoints(points) {
    clusters.clearLayers();
    var markers = points.map(function (p) {
      var icon = L.divIcon({ className: "map-pin map-pin-" + p.cat, iconSize: [14, 14] });
      var marker = L.marker([p.lat, p.lon], { icon: icon, category: p.cat, title: p.name });
      marker.bindPopup(function () { return popup(p); });
      return marker;
    });
    clusters.addLayers(markers);
  }

  function fit(data) {
    if (fitted) { return; }
    var bounds = L.latLngBounds([]);
    if (fences.getLayers().length) { bounds.extend(fences.getBounds()); }
    data.points.forEach(function (p) { bounds.extend([p.lat, p.lon]); });
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [40, 40], maxZoom: 17 }); fitted = true; }
  }

  function query() {
    var params = new URLSearchParams();
    var unit = form.elements.unit.value, date = form.elements.date.value;
    var kind = form.elements.kind.value;
    if (unit) { params.set("unit", unit); }
    if (date) { params.set("date", date); }
    if (kind) { params.set("kind", kind); }
    if (form.elements.refused.checked) { params.set("refused", "1"); }
    return params.toString();
  }

  function load() {
    var qs = query();
    status.textContent = S.loading;
    if (window.history && history.replaceState) {
      history.replaceState(null, "", form.action + (qs ? "?" + qs : ""));
    }
    fetch(config.dataUrl + (qs ? "?" + qs : ""), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        drawOffices(data.offices);
        drawPoints(data.points);
        fit(data);
        var text = fmt(S.counts, data.counts);
        if (data.truncated) { text += " " + fmt(S.truncated, { n: data.limit }); }
        status.textContent = text;
        document.body.dataset.mapLoaded = String(data.points.length);
      })
      .catch(function () { status.textContent = S.failed; });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); fitted = false; load(); });
  form.addEventListener("change", function (event) {
    if (event.target.name === "unit") { fitted = false; }
    load();
  });
  start();
  load();
})();
