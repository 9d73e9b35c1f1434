/* SIGAP phone check-in: front camera, GPS fix, small map, offline queue.
   No inline script (CSP): configuration comes from the #checkin-config JSON. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("checkin-config").textContent);
  var S = config.strings;
  var QUEUE_KEY = "sigap.checkin.queue";
  var el = function (id) { return document.getElementById(id); };
  var video = el("camera"), canvas = el("canvas"), snapshot = el("snapshot");
  var takeBtn = el("take-photo"), retakeBtn = el("retake-photo"), submitBtn = el("submit");
  var result = el("result"), queueStatus = el("queue-status");
  var state = { blob: null, fix: null, busy: false };

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function distanceM(lat1, lon1, lat2, lon2) {
    var R = 6371008.8, rad = Math.PI / 180;
    var dphi = (lat2 - lat1) * rad, dl = (lon2 - lon1) * rad;
    var h = Math.sin(dphi / 2) * Math.sin(dphi / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function dayLabel(day) {
    if (day.status.indexOf("TL") === 0 && day.late_minutes) {
      return fmt(S.late, { m: day.late_minutes, code: day.status });
    }
    if (day.status.indexOf("PSW") === 0 && day.early_minutes) {
      return fmt(S.early, { m: day.early_minutes, code: day.status });
    }
    return (config.labels[day.status] || day.status) + " (" + day.status + ")";
  }

  function hhmm(iso) { return iso ? iso.slice(11, 16) : "–"; } // local ISO time -> "07:42"

  function updateButton() {
    submitBtn.disabled = state.busy || !state.blob || !state.fix;
    submitBtn.textContent = submitBtn.dataset.kind === "out" ? S.checkOut : S.checkIn;
  }

  function show(kind, text) {
    result.className = "result " + kind;
    result.textContent = text;
  }

  /* --- camera -------------------------------------------------------------- */
  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      el("camera-status").textContent = S.cameraDenied;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
      .then(function (stream) {
        // ready once a frame has arrived: drawing the video before that gives a black selfie
        video.addEventListener("loadeddata", function () {
          el("camera-status").textContent = S.cameraReady;
          takeBtn.disabled = false;
        }, { once: true });
        video.srcObject = stream;
      })
      .catch(function () { el("camera-status").textContent = S.cameraDenied; });
  }

  takeBtn.addEventListener("click", function () {
    // a muted video that was scrolled out of view may have been paused by the browser
    // (the health declaration sits above the camera): play it again, then draw a frame
    var playing = video.paused ? video.play() : Promise.resolve();
    playing.catch(function () {}).then(capture);
  });

  function capture() {
    var w = video.videoWidth || 640, h = video.videoHeight || 480;
    canvas.width = w; canvas.height = h;
    canvas.getContext("2d").drawImage(video, 0, 0, w, h);
    canvas.toBlob(function (blob) {
      state.blob = blob;
      snapshot.src = URL.createObjectURL(blob);
      snapshot.classList.remove("hidden");
      video.classList.add("hidden");
      takeBtn.classList.add("hidden");
      retakeBtn.classList.remove("hidden");
      updateButton();
    }, "image/jpeg", 0.85);
  }

  function clearPhoto() {
    state.blob = null;
    snapshot.classList.add("hidden");
    video.classList.remove("hidden");
    takeBtn.classList.remove("hidden");
    retakeBtn.classList.add("hidden");
    updateButton();
  }
  retakeBtn.addEventListener("click", clearPhoto);

  /* --- location and map ---------------------------------------------------- */
  var map = null, marker = null, accuracyCircle = null;
  function startMap() {
    if (!window.L || !config.place) { return; }
    var centre = [config.place.lat, config.place.lon];
    map = L.map("map", { zoomControl: false, attributionControl: !!config.tileUrl }).setView(centre, 17);
    if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }
    if (config.place.polygon) {
      L.polygon(config.place.polygon, { color: "#0b5d7a" }).addTo(map);
    } else if (config.place.radius) {
      L.circle(centre, { radius: config.place.radius, color: "#0b5d7a" }).addTo(map);
    }
  }

  function onFix(position) {
    var c = position.coords;
    state.fix = { lat: c.latitude, lon: c.longitude, acc: c.accuracy };
    var dist = config.place ? Math.round(distanceM(c.latitude, c.longitude, config.place.lat, config.place.lon)) : 0;
    var inside = config.place && config.place.radius ? dist <= config.place.radius : null;
    el("gps-status").textContent = fmt(S.gpsFix, { acc: Math.round(c.accuracy), dist: dist, place: config.place ? config.place.name : "" }) +
      (inside === null ? "" : " · " + (inside ? S.inside : S.outside));
    el("gps-status").className = inside === false ? "warn" : "ok";
    if (map) {
      var ll = [c.latitude, c.longitude];
      if (!marker) {
        marker = L.circleMarker(ll, { radius: 6, color: "#b3261e" }).addTo(map);
        accuracyCircle = L.circle(ll, { radius: c.accuracy, color: "#b3261e", weight: 1, fillOpacity: 0.08 }).addTo(map);
      } else {
        marker.setLatLng(ll); accuracyCircle.setLatLng(ll); accuracyCircle.setRadius(c.accuracy);
      }
    }
    updateButton();
  }

  function startGps() {
    if (!navigator.geolocation) { el("gps-status").textContent = S.gpsDenied; return; }
    navigator.geolocation.watchPosition(onFix, function () {
      el("gps-status").textContent = S.gpsDenied;
    }, { enableHighAccuracy: true, maximumAge: 0, timeout: 30000 });
  }

  /* --- sending, and the offline queue --------------------------------------- */
  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
    queueStatus.textContent = items.length ? fmt(S.queueCount, { n: items.length }) : "";
    queueStatus.classList.toggle("hidden", !items.length);
  }

  function blobToDataUrl(blob) {
    return new Promise(function (resolve) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.readAsDataURL(blob);
    });
  }
  function dataUrlToBlob(url) {
    var parts = url.split(","), bytes = atob(parts[1]), arr = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) { arr[i] = bytes.charCodeAt(i); }
    return new Blob([arr], { type: "image/jpeg" });
  }

  function send(item, blob) {
    var form = new FormData();
    ["request_id", "kind", "latitude", "longitude", "accuracy_m", "captured_at"].forEach(function (k) {
      form.append(k, item[k]);
    });
    form.append("queued", item.queued ? "true" : "false");
    form.append("selfie", blob, "selfie.jpg");
    return fetch(config.api, {
      method: "POST", body: form, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept-Language": document.documentElement.lang || "id" }
    });
  }

  function handleResponse(response) {
    return response.json().then(function (body) {
      if (response.status === 200 || response.status === 201) {
        var time = (body.recorded_at || "").slice(11, 16);
        show("ok", dayLabel(body.day) + " · " + fmt(S.recorded, { time: time }));
        el("today-status").textContent = dayLabel(body.day);
        el("today-status").className = "code code-" + body.day.status;
        el("today-times").textContent = hhmm(body.day.check_in) + " / " + hhmm(body.day.check_out);
        submitBtn.dataset.kind = "out";
        clearPhoto();  // a check-out needs a selfie of its own
        return body;
      }
      show("error", body.message || S.failed);
      return null;
    });
  }

  submitBtn.addEventListener("click", function () {
    if (!state.blob) { show("error", S.needPhoto); return; }
    var item = {
      request_id: uuid4(), kind: submitBtn.dataset.kind, latitude: state.fix.lat,
      longitude: state.fix.lon, accuracy_m: state.fix.acc, captured_at: config.serverNow || new Date().toISOString(), queued: false
    };
    state.busy = true; updateButton(); show("info", S.sending);
    send(item, state.blob).then(handleResponse).catch(function () {
      blobToDataUrl(state.blob).then(function (dataUrl) {
        item.queued = true; item.selfie = dataUrl;
        var queue = loadQueue(); queue.push(item); saveQueue(queue);
        show("warn", S.queued);
      });
    }).then(function () { state.busy = false; updateButton(); });
  });

  var flushing = false; // one item in flight at a time: 'online' may fire more than once
  function flushQueue() {
    if (flushing) { return; }
    var queue = loadQueue();
    if (!queue.length) { return; } // (keeps a "sent" notice on screen)
    if (!navigator.onLine) { saveQueue(queue); return; }
    var item = queue[0];
    flushing = true;
    send(item, dataUrlToBlob(item.selfie)).then(function (response) {
      if (response.status === 401 || response.status === 429 || response.status >= 500) {
        throw new Error("not settled: keep it for later");
      }
      // any other answer settles the item: accepted, a replay, or refused for good
      saveQueue(loadQueue().filter(function (q) { return q.request_id !== item.request_id; }));
      return handleResponse(response).then(function (body) {
        if (body) { queueStatus.textContent = S.sentLater; queueStatus.classList.remove("hidden"); }
        flushing = false;
        flushQueue();
      });
    }).catch(function () {
      /* still offline, signed out or the server is busy: try again on the next
         'online' event or page load */
      flushing = false;
    });
  }

  window.addEventListener("online", flushQueue);
  if ("serviceWorker" in navigator) { navigator.serviceWorker.register("/sw.js").catch(function () {}); }
  startMap(); startCamera(); startGps(); flushQueue(); updateButton();
})();
