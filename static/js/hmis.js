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

// A form that came back with errors: move focus to its error summary, so a keyboard,
// screen reader or phone user (whose errors may be off-screen) starts there; each
// link in the summary moves focus to its field, not just the scroll position.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.scrollIntoView({ block: "start" });
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var group = field.closest(".usa-form-group, .usa-fieldset") || field;
    group.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();

// A question asked only after one answer (3.12.A after destination 435, 3.12.B after 17:
// data-shown-if="destination=435") shows only then, and hiding it clears it. Without
// JavaScript every such question shows, saying when it applies, and the server refuses
// an answer to one that was not asked.
(function () {
  "use strict";
  document.querySelectorAll("[data-shown-if]").forEach(function (input) {
    var rule = input.getAttribute("data-shown-if").split("=");
    var control = input.form && input.form.elements[rule[0]];
    var group = input.closest(".usa-form-group");
    if (!control || !group) { return; }
    function update(first) {
      var shown = String(control.value) === rule[1];
      if (first === true && group.classList.contains("usa-form-group--error")) { shown = true; }
      group.hidden = !shown;
      if (!shown) { input.value = ""; }
    }
    control.addEventListener("change", update);
    update(true);
  });
})();

// 3.917 Prior Living Situation: which follow-up questions apply depends on the project
// type and the answers so far, a rule the server keeps in one place
// (enrollments/validation.py::prior_living_questions). On each change of the project or
// of an answer the rule reads, ask the server and hide the questions that do not apply;
// typed values stay, and the server clears answers to questions not asked.
(function () {
  "use strict";
  var fieldset = document.querySelector("[data-prior-living-url]");
  if (!fieldset || !window.fetch || !window.FormData) { return; }
  var form = fieldset.closest("form");
  var watched = ["project", "living_situation", "length_of_stay", "previous_street_essh"];
  var latest = 0;
  function refresh() {
    var body = new FormData(form);
    body.set("refresh_prior_living", "1");
    var mine = ++latest;
    window.fetch(fieldset.getAttribute("data-prior-living-url"), {
      method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) { return response.ok ? response.json() : null; }).then(function (answer) {
      if (!answer || mine !== latest) { return; }  // a later change has its own answer coming
      fieldset.querySelectorAll("[data-prior-question]").forEach(function (group) {
        group.hidden = answer.hidden.indexOf(group.getAttribute("data-prior-question")) !== -1;
      });
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target && watched.indexOf(event.target.name) !== -1) { refresh(); }
  });
})();
