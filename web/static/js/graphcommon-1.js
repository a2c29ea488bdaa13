// What the graph pages (graph-1.js) and the tours (tour-1.js) both use, as window.kgGraph: the font the
// labels are drawn in, an element builder that puts text in through textContent (never markup), the UI
// catalogue's text formatter, the labels of nodes and links in a label mode (zh, en or both), and what the
// tours' two windows share (their step kept in sync, the keys that step them).
// Loaded after linebreak-1.js (kgLines) and before the scripts that use it.
(function () {
  "use strict";
  // kg/styles.py FONT_STACK: the font the pictures are drawn in, and what a browser falls back to
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif';

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // texts: the UI catalogue's entries a page script reads (key -> text, or a count's {one, other})
  function pattern(texts, key, n) {
    var text = texts[key];
    if (text === undefined) throw new Error("no UI text " + key);
    return typeof text === "object" ? text[n === 1 ? "one" : "other"] : text;
  }
  // the text of key, its {name} values filled in (a count's form picked by values.n)
  function format(texts, key, values) {
    values = values || {};
    return pattern(texts, key, values.n).replace(/\{(\w+)\}/g, function (all, name) { return String(values[name]); });
  }

  // a node's label: the Chinese in lines that fit a node maxWidth wide at a font of size (kgLines), the
  // English, or both
  function nodeLabel(n, mode, maxWidth, size) {
    var zh = n.label_zh_atoms && window.kgLines
      ? window.kgLines.wrap(n.label_zh_atoms, window.kgLines.charsFor(maxWidth, size))
      : (n.label_zh || "");
    var en = n.label_en || "";
    if (mode === "en") return en || zh;
    if (mode === "both") return en && en !== n.label_zh ? zh + "\n" + en : zh;
    return zh || en;
  }
  function edgeLabel(e, mode) {
    if (mode === "en") return e.label_en;
    if (mode === "both") return e.label_zh + " " + e.label_en;
    return e.label_zh;
  }

  // a tour's windows (the audience's and the presenter's) kept on one step: a BroadcastChannel, else
  // localStorage events, in the same browser and offline; onStep(n) hears the other window's step (1-based),
  // the returned function tells the others this window's
  function stepSync(tour, onStep) {
    var channel = null, key = "kg-tour-step:" + tour;
    try { channel = typeof BroadcastChannel !== "undefined" ? new BroadcastChannel("kg-tour:" + tour) : null; } catch (err) { channel = null; }
    function heard(message) {
      if (message && typeof message.step === "number") onStep(message.step);
    }
    if (channel) channel.onmessage = function (event) { heard(event.data); };
    window.addEventListener("storage", function (event) {
      if (event.key === key && event.newValue) { try { heard(JSON.parse(event.newValue)); } catch (err) { /* not ours */ } }
    });
    return function announce(step) {
      var message = { step: step, at: Date.now() };
      if (channel) channel.postMessage(message);
      else try { window.localStorage.setItem(key, JSON.stringify(message)); } catch (err) { /* private mode */ }
    };
  }

  // the keys that step a tour, the same in the audience's window (tour-1.js) and the presenter's
  // (presenter-1.js): → / PageDown / space next, ← / PageUp / shift+space previous, Home / End first / last;
  // more: a window's own keys (event.key -> function).  Returns the keydown listener: go(i) goes to step i
  // (0-based), at() is the step it is on.  Keys typed into a field, or with Alt / Ctrl / Meta, are left alone.
  function stepKeys(go, at, count, more) {
    return function (event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      var key = event.key, i = at();
      if (key === "ArrowRight" || key === "PageDown") go(i + 1);
      else if (key === " " || key === "Spacebar") go(event.shiftKey ? i - 1 : i + 1);
      else if (key === "ArrowLeft" || key === "PageUp") go(i - 1);
      else if (key === "Home") go(0);
      else if (key === "End") go(count - 1);
      else if (more && Object.prototype.hasOwnProperty.call(more, key)) more[key](event);
      else return;
      event.preventDefault();
    };
  }

  window.kgGraph = { FONT: FONT, el: el, pattern: pattern, format: format, nodeLabel: nodeLabel, edgeLabel: edgeLabel,
                     stepSync: stepSync, stepKeys: stepKeys };
})();
