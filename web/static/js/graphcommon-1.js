// What the graph pages (graph-1.js) and the tours (tour-1.js) both use, as window.kgGraph: the font the
// labels are drawn in, an element builder that puts text in through textContent (never markup), the UI
// catalogue's text formatter, and the labels of nodes and links in a label mode (zh, en or both).
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

  window.kgGraph = { FONT: FONT, el: el, pattern: pattern, format: format, nodeLabel: nodeLabel, edgeLabel: edgeLabel };
})();
