// Client side of the idle lock (U9): after the CoC's idle minutes without input,
// go to the lock page so nothing stays readable on an unattended screen. The
// server enforces the same limit on the next request; this only hides the page.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-idle-lock-seconds") || "0", 10);
  var lockUrl = body.getAttribute("data-lock-url");
  if (!seconds || !lockUrl) { return; }
  var timer = null;
  function lock() {
    window.location.assign(lockUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search));
  }
  function reset() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(lock, seconds * 1000);
  }
  ["mousemove", "keydown", "mousedown", "touchstart", "scroll"].forEach(function (name) {
    window.addEventListener(name, reset, { passive: true });
  });
  reset();
})();

// Activity on a page counts as activity for the server's idle lock too: tell it,
// at most once a minute, so reading a long page does not lock the next click.
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-heartbeat-url");
  if (!url) { return; }
  var token = "";
  try { token = JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { token = ""; }
  var last = Date.now();
  function beat() {
    if (Date.now() - last < 60000) { return; }
    last = Date.now();
    window.fetch(url, { method: "POST", headers: { "X-CSRFToken": token }, credentials: "same-origin" });
  }
  ["keydown", "mousedown", "scroll", "touchstart"].forEach(function (name) {
    window.addEventListener(name, beat, { passive: true });
  });
})();
