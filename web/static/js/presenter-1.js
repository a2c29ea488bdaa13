// The presenter's window of a tour (presenter.html): the step's speaker notes, the next step, a timer and
// the list of steps.  Reads the JSON island #tour-data (with the notes) and writes every text through
// textContent.  It and the audience's window (tour-1.js) stay on the same step: a BroadcastChannel named
// for the tour, or localStorage events where there is none: same origin, offline, no server round trip.
// Keys (kgGraph.stepKeys, as in the audience's window): → / PageDown / space next, ← / PageUp / shift+space
// previous, Home / End first / last; R resets the timer.
(function () {
  "use strict";
  var island = document.getElementById("tour-data");
  var root = document.getElementById("presenter");
  if (!island || !root || !window.kgGraph) return;
  var common = window.kgGraph, el = common.el;
  var data = JSON.parse(island.textContent);
  var steps = data.steps || [], count = steps.length;
  if (!count) return;
  var lang = data.lang === "en" ? "en" : "zh", other = lang === "en" ? "zh" : "en";
  var texts = data.ui || {};
  function t(key, values) { return common.format(texts, key, values); }
  function pick(value) { return value ? ((lang === "en" ? (value.en || value.zh) : (value.zh || value.en)) || "") : ""; }
  function clamp(i) { return Math.max(0, Math.min(count - 1, i | 0)); }
  var current = clamp((data.start || 1) - 1);

  var list = document.getElementById("presenter-steps");
  var items = steps.map(function (s, i) {
    var li = el("li"), a = el("button", pick(s.title));
    a.type = "button";
    a.addEventListener("click", function () { go(i); });
    li.append(a);
    list.append(li);
    return li;
  });

  function render() {
    var step = steps[current], next = steps[current + 1];
    document.getElementById("presenter-count").textContent = (current + 1) + " / " + count;
    document.getElementById("presenter-now-title").textContent = pick(step.title);
    document.getElementById("presenter-now-sub").textContent = pick(step.subtitle);
    document.getElementById("presenter-next-title").textContent = next ? (current + 2) + ". " + pick(next.title) : t("tour.presenter_end");
    var parts = [];
    (step.notes || []).forEach(function (n) {
      parts.push(el("dt", pick(n.label)), el("dd", pick(n.text)));
      if (n.text && n.text[other]) {
        var dd = el("dd", n.text[other], "alt");
        dd.lang = other === "zh" ? "zh-CN" : "en";
        parts.push(dd);
      }
    });
    if (!parts.length) parts.push(el("dd", t("tour.presenter_no_notes"), "empty"));
    var notes = document.getElementById("presenter-notes");
    notes.replaceChildren.apply(notes, parts);
    items.forEach(function (li, i) {
      if (i === current) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    });
    if (items[current] && items[current].scrollIntoView) items[current].scrollIntoView({ block: "nearest" });
    document.getElementById("presenter-prev").disabled = current === 0;
    document.getElementById("presenter-next").disabled = current === count - 1;
    var audience = document.getElementById("presenter-audience");
    if (audience) {
      var url = new URL(audience.href, window.location.href);
      url.searchParams.set("step", String(current + 1));
      audience.href = url.pathname + url.search;
    }
    try {
      var here = new URL(window.location.href);
      here.searchParams.set("step", String(current + 1));
      window.history.replaceState(null, "", here.pathname + here.search);
    } catch (err) { /* file: URLs */ }
  }

  var tellOthers = window.kgGraph.stepSync(data.tour.name, function (step) { go(step - 1, true); });
  function announce() { tellOthers(current + 1); }
  function go(i, quiet) {
    var next = clamp(i), changed = next !== current;
    current = next;
    render();
    if (changed && !quiet) announce();
  }

  // the timer: minutes and seconds since the window opened (or the last reset)
  var started = Date.now(), timer = document.getElementById("presenter-timer");
  function tick() {
    var s = Math.floor((Date.now() - started) / 1000);
    timer.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  window.setInterval(tick, 1000);
  document.getElementById("presenter-reset").addEventListener("click", function () { resetTimer(); });
  document.getElementById("presenter-prev").addEventListener("click", function () { go(current - 1); });
  document.getElementById("presenter-next").addEventListener("click", function () { go(current + 1); });
  function resetTimer() { started = Date.now(); tick(); }
  document.addEventListener("keydown", common.stepKeys(go, function () { return current; }, count,
                                                       { r: resetTimer, R: resetTimer }));
  render();
  window.kgPresenter = { go: go, get step() { return current + 1; }, count: count };
})();
