// Lines of a Chinese (or mixed) node label, filled from its unbreakable pieces: the server cuts the
// label between words and keeps numbers, Latin words and punctuation with their neighbours
// (kg/linebreak.py, atoms); here the pieces are filled into lines as wide as the node allows.
// vis-network would otherwise break a label anywhere once it is wider than the node (47.8 as "47." / "8").
(function () {
  "use strict";
  var PAUSE = /[\uff0c\u3002\u3001\uff1b\uff1a\uff1f\uff01,;:?!]\s*$/;  // a line may end after a pause

  function width(text) {  // in Chinese characters: ASCII counts half
    var w = 0;
    for (var i = 0; i < text.length; i++) w += text.charCodeAt(i) < 128 ? 0.5 : 1;
    return w;
  }

  // atoms: the pieces (strings); maxChars: how many Chinese characters fit on a line.
  // A line that holds a pause in its second half breaks after the pause.
  function wrap(atoms, maxChars) {
    var lines = [], line = [];
    (atoms || []).forEach(function (atom) {
      if (line.length && width(line.join("") + atom.replace(/\s+$/, "")) > maxChars) {
        var at = line.length;
        for (var i = line.length; i > 0; i--) {
          if (PAUSE.test(line[i - 1]) && width(line.slice(0, i).join("")) >= maxChars / 2) { at = i; break; }
        }
        lines.push(line.slice(0, at).join("").trim());
        line = line.slice(at);
      }
      line.push(atom);
    });
    if (line.join("").trim()) lines.push(line.join("").trim());
    return lines.join("\n");
  }

  // How many Chinese characters fit in a node maxWidth pixels wide at fontSize, inside vis's margins.
  function charsFor(maxWidth, fontSize) {
    return Math.max(4, Math.floor((maxWidth - 18) / fontSize));
  }

  window.kgLines = { wrap: wrap, charsFor: charsFor };
})();
