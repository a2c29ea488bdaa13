// A presentation tour (vis-network 9.1.2, vendored).  Reads the JSON island #tour-data with JSON.parse and
// redraws the step on the page; every piece of text goes in through textContent, never innerHTML.  Labels
// are drawn on a canvas (no markup), tooltips are plain strings.  The words it writes are the island's "ui"
// (the UI catalogue's tour section, in the page's language).
//
// The whole tour's graph is laid out once, so a concept keeps its place from step to step: the chain and
// the other tours come with coordinates; the tree is laid out by vis-network's hierarchical layout in a
// hidden network first.  Then every node is measured in a hidden network at each of its looks (new, subject,
// earlier: their fonts and borders) and the gaps between rows and between columns are widened where two
// of the largest boxes would come too close (rows stay rows, columns stay columns).  Each step shows what
// has been shown so far: the new concepts highlighted, the step's subject in colour, the rest dimmed; the
// camera fits every node of the step inside the canvas with a margin, or, when that would be too small
// to read from the back of a room, what the step is about with its neighbours (O: every node of the tour).
//
// Keys: → / space next, ← / shift+space previous, Home / End first / last, F full screen, N notes,
// O overview, Esc leave full screen or go back to the list.  ?step=N is kept in the URL (replaceState) and in
// the language switch.  The font, the element builder, the text formatter and the labels are
// graphcommon-1.js's (kgGraph).
(function () {
  "use strict";
  var island = document.getElementById("tour-data");
  var root = document.getElementById("tour");
  if (!island || !root || !window.kgGraph) return;
  var common = window.kgGraph;
  var data = JSON.parse(island.textContent);
  var steps = data.steps || [];
  var count = steps.length;
  if (!count) return;
  var lang = data.lang === "en" ? "en" : "zh";
  var other = lang === "en" ? "zh" : "en";
  var texts = data.ui || {};
  var links = data.links || {};
  var layout = data.layout || {};
  var concepts = data.concepts || {};
  var FONT = common.FONT;
  var SIZE = { fresh: 26, focus: 24, earlier: 20 };
  var MAX_ZOOM = 1.0;     // a small step is not blown up beyond its natural size
  var READABLE = 0.72;   // below this zoom the step frames what is new instead of showing everything
  var MARGIN = 28;       // screen pixels kept free around the step's graph in the canvas
  var GAP = { x: 32, y: 30 };  // the least room between two nodes' boxes, in canvas units
  var current = clamp((data.start || 1) - 1);
  var overview = false;
  var leftFullscreenAt = 0;

  function clamp(i) { return Math.max(0, Math.min(count - 1, i | 0)); }
  var el = common.el;
  // a text of the UI catalogue, its {name} values filled in (a count's form picked by n)
  function pattern(key, n) { return common.pattern(texts, key, n); }
  function t(key, values) { return common.format(texts, key, values); }
  // the same as parts for append(), so a value may be an element (e.g. a span marked with its language)
  function tNodes(key, values) {
    return pattern(key, values.n).split(/\{(\w+)\}/).map(function (part, i) { return i % 2 ? values[part] : part; });
  }
  function pick(value) {
    if (!value) return "";
    return (lang === "en" ? (value.en || value.zh) : (value.zh || value.en)) || "";
  }
  function alt(value) { return value ? (value[other] || "") : ""; }
  function nameOf(id) { var c = concepts[id]; return c ? pick(c.label) : id; }

  // -- what is shown at each step: the union of "new" (nodes) and "new_edges" (links) so far ------------------
  var shownAt = [], edgesAt = [];
  (function () {
    var nodesSoFar = [], edgesSoFar = [];
    steps.forEach(function (s) {
      nodesSoFar = nodesSoFar.concat(s["new"] || []);
      edgesSoFar = edgesSoFar.concat(s.new_edges || []);
      shownAt.push(new Set(nodesSoFar));
      edgesAt.push(new Set(edgesSoFar));
    });
  })();

  // -- the graph ---------------------------------------------------------------------------------------------
  var container = document.getElementById("tour-canvas");
  var hasVis = typeof vis !== "undefined" && container && data.vis;
  var network = null, nodes = null, edges = null, nodeView = null, edgeView = null;
  var groups = hasVis ? ((data.vis.options || {}).groups || {}) : {};
  var edgeColour = {};

  function classStyle(cls) {
    var g = groups[cls] || {}, c = g.color || {};
    return { bg: c.background || "#eeeeee", border: c.border || "#9e9e9e", font: (g.font && g.font.color) || "#1f2328" };
  }
  function labelOf(n) {  // Chinese in lines that fit the node at the largest size a step gives it
    return common.nodeLabel(n, lang, layout.nodeWidth || 200, SIZE.fresh);
  }
  function edgeLabel(e) { return layout.edgeLabels ? common.edgeLabel(e, lang) : undefined; }
  function nodeOptions(base) {
    var nodeWidth = layout.nodeWidth || 200;
    base.nodes = Object.assign({}, base.nodes || {}, {
      font: { face: FONT, size: SIZE.earlier, multi: false },
      widthConstraint: { maximum: nodeWidth },
      margin: { top: 10, bottom: 10, left: 12, right: 12 },
      shapeProperties: { borderRadius: 5 }
    });
    base.edges = Object.assign({}, base.edges || {}, {
      // level labels: vis-network 9.1.2 draws a "middle" (rotated) label of an exactly level edge at the
      // canvas origin instead of on the edge, and the layout has many level edges
      font: { face: FONT, size: 17, align: "horizontal", strokeWidth: 5, strokeColor: "#ffffff", multi: false }
    });
    return base;
  }

  function laidOut(rawNodes, rawEdges) {
    // the tree: let vis-network's hierarchical layout place every node of the tour once, off screen
    if (layout.mode !== "hierarchical") return null;
    var options = nodeOptions(JSON.parse(JSON.stringify(data.vis.options || {})));
    options.layout = options.layout || {};
    options.layout.hierarchical = Object.assign({}, options.layout.hierarchical || {}, {
      enabled: true,
      direction: layout.direction || "DU",
      levelSeparation: layout.levelSeparation || 120,
      nodeSpacing: layout.nodeSpacing || 240,
      treeSpacing: layout.treeSpacing || 260
    });
    options.physics = { enabled: false };
    var scratch = offscreen();
    var temp = new vis.Network(scratch, {
      nodes: new vis.DataSet(rawNodes.map(function (n) {
        return { id: n.id, label: labelOf(n), level: n.level, shape: n.shape, group: n.group,
                 font: { size: SIZE.fresh } };
      })),
      edges: new vis.DataSet(rawEdges.map(function (e) { return { id: e.id, from: e.from, to: e.to }; }))
    }, options);
    var positions = temp.getPositions();
    temp.destroy();
    scratch.remove();
    return positions;
  }

  // a hidden box the size of the canvas, for the networks that only lay out or measure
  function offscreen() {
    var scratch = el("div");
    scratch.setAttribute("aria-hidden", "true");
    scratch.style.cssText = "position:absolute;left:-10000px;top:0;width:" + (container.clientWidth || 1000) +
      "px;height:" + (container.clientHeight || 600) + "px;visibility:hidden";
    document.body.appendChild(scratch);
    return scratch;
  }

  // each node's largest box (width and height, canvas units) over the looks restyle() gives it: a new
  // concept's big font and thick border, a subject's, an earlier concept's small font (its label may wrap
  // differently, so each look is drawn and measured)
  var LOOKS = [{ size: SIZE.fresh, border: 4 }, { size: SIZE.focus, border: 3 }, { size: SIZE.earlier, border: 1 }];
  function measured(rawNodes) {
    var options = nodeOptions(JSON.parse(JSON.stringify(data.vis.options || {})));
    options.layout = { hierarchical: { enabled: false }, randomSeed: 7 };
    options.physics = { enabled: false };
    var scratch = offscreen();
    var set = new vis.DataSet(rawNodes.map(function (n) {
      return { id: n.id, label: labelOf(n), shape: n.shape, group: n.group, x: 0, y: 0, fixed: { x: true, y: true } };
    }));
    var temp = new vis.Network(scratch, { nodes: set, edges: new vis.DataSet([]) }, options);
    var sizes = {};
    LOOKS.forEach(function (look) {
      set.update(rawNodes.map(function (n) {
        return { id: n.id, borderWidth: look.border, font: { size: look.size, face: FONT } };
      }));
      temp.redraw();
      rawNodes.forEach(function (n) {
        var b = temp.getBoundingBox(n.id), s = sizes[n.id] || (sizes[n.id] = { w: 0, h: 0 });
        if (b) { s.w = Math.max(s.w, b.right - b.left); s.h = Math.max(s.h, b.bottom - b.top); }
      });
    });
    temp.destroy();
    scratch.remove();
    rawNodes.forEach(function (n) {  // never drawn: the widest a label may be, two lines high
      var s = sizes[n.id];
      if (!s.w || !s.h) { s.w = Math.max(s.w, (layout.nodeWidth || 200) + 32); s.h = Math.max(s.h, 80); }
    });
    return sizes;
  }

  // no two boxes closer than GAP, the layout's order kept: nodes at the same y are a row, at the same x a
  // column.  Each pair too close is parted along one axis (along x when they share a row, along y when they
  // share a column, otherwise the axis along which they are relatively further apart); then, axis by axis,
  // the gaps between consecutive rows (columns) are widened just as much as the pairs parted along that axis
  // need, so rows stay rows, columns stay columns, and nothing moves that need not.  Two nodes on the same
  // spot (no row or column between them) are pushed apart last.  Positions are changed in place.
  function spread(ids, pos, sizes) {
    var need = function (a, b, axis) {
      return axis === "x" ? (sizes[a].w + sizes[b].w) / 2 + GAP.x : (sizes[a].h + sizes[b].h) / 2 + GAP.y;
    };
    var tooClose = function (a, b) {
      return Math.abs(pos[a].x - pos[b].x) < need(a, b, "x") - 0.5 && Math.abs(pos[a].y - pos[b].y) < need(a, b, "y") - 0.5;
    };
    var parted = { x: [], y: [] }, same = [];
    var i, j, a, b;
    for (i = 0; i < ids.length; i++) {
      for (j = i + 1; j < ids.length; j++) {
        a = ids[i]; b = ids[j];
        if (!tooClose(a, b)) continue;
        var dx = Math.abs(pos[a].x - pos[b].x), dy = Math.abs(pos[a].y - pos[b].y);
        if (dx < 1 && dy < 1) same.push([a, b]);
        else if (dy < 1) parted.x.push([a, b]);
        else if (dx < 1) parted.y.push([a, b]);
        else parted[need(a, b, "x") / dx <= need(a, b, "y") / dy ? "x" : "y"].push([a, b]);
      }
    }
    ["x", "y"].forEach(function (axis) {
      if (!parted[axis].length) return;
      // the rows (columns): the distinct coordinates along the axis, in order
      var values = ids.map(function (id) { return pos[id][axis]; }).sort(function (p, q) { return p - q; });
      var lines = [];
      values.forEach(function (v) { if (!lines.length || v - lines[lines.length - 1] >= 1) lines.push(v); });
      var lineOf = function (v) {
        var k = 0;
        while (k + 1 < lines.length && lines[k + 1] <= v + 0.5) k++;
        return k;
      };
      var wanted = lines.map(function () { return []; });  // per line: [earlier line, least distance]
      parted[axis].forEach(function (pair) {
        var la = lineOf(pos[pair[0]][axis]), lb = lineOf(pos[pair[1]][axis]);
        if (la === lb) return;
        wanted[Math.max(la, lb)].push([Math.min(la, lb), need(pair[0], pair[1], axis)]);
      });
      var moved = [lines[0]];
      for (var k = 1; k < lines.length; k++) {
        var at = moved[k - 1] + (lines[k] - lines[k - 1]);
        wanted[k].forEach(function (w) { at = Math.max(at, moved[w[0]] + w[1]); });
        moved.push(at);
      }
      // the middle stays where it was, so the drawing grows evenly both ways
      var shift = ((moved[0] + moved[moved.length - 1]) - (lines[0] + lines[lines.length - 1])) / 2;
      ids.forEach(function (id) { pos[id][axis] = moved[lineOf(pos[id][axis])] - shift; });
    });
    for (var pass = 0; pass < 100 && same.length; pass++) {
      var left = [];
      same.forEach(function (pair) {
        if (!tooClose(pair[0], pair[1])) return;
        pos[pair[1]].y = pos[pair[0]].y + need(pair[0], pair[1], "y");
        left.push(pair);
      });
      same = left;
    }
  }

  var sizes = {}, allIds = [];
  if (hasVis) {
    var rawNodes = data.vis.nodes || [], rawEdges = data.vis.edges || [];
    var laid = laidOut(rawNodes, rawEdges);
    var positions = {};
    rawNodes.forEach(function (n) {
      var p = laid && laid[n.id];
      positions[n.id] = { x: p ? p.x : (n.x || 0), y: p ? p.y : (n.y || 0) };
      allIds.push(n.id);
    });
    sizes = measured(rawNodes);
    spread(allIds, positions, sizes);
    nodes = new vis.DataSet(rawNodes.map(function (n) {
      var p = positions[n.id];
      return { id: n.id, label: labelOf(n), shape: n.shape, group: n.group, cls: n.cls, title: n.title,
               label_zh: n.label_zh, label_en: n.label_en,
               x: p.x, y: p.y, fixed: { x: true, y: true } };
    }));
    edges = new vis.DataSet(rawEdges.map(function (e) {
      var colour = (e.color && e.color.color) || "#8c959f";
      edgeColour[e.id] = colour;
      return { id: e.id, from: e.from, to: e.to, title: e.title, dashes: e.dashes, arrows: "to",
               relation: e.relation, status: e.status, label_zh: e.label_zh, label_en: e.label_en,
               color: { color: colour, highlight: "#0b5cad", hover: "#0b5cad", inherit: false } };
    }));
    nodeView = new vis.DataView(nodes, { filter: function (n) { return shownAt[current].has(n.id); } });
    edgeView = new vis.DataView(edges, { filter: function (e) { return edgesAt[current].has(e.id); } });
    var options = nodeOptions(JSON.parse(JSON.stringify(data.vis.options || {})));
    options.layout = { hierarchical: { enabled: false }, randomSeed: 7 };
    options.physics = { enabled: false };
    options.interaction = { hover: true, tooltipDelay: 150, dragNodes: false, dragView: true, zoomView: true,
                            keyboard: false, multiselect: false, navigationButtons: false };
    if (layout.mode === "hierarchical") {
      options.edges.smooth = { enabled: true, type: "cubicBezier", forceDirection: "vertical", roundness: 0.4 };
    } else {
      options.edges.smooth = { enabled: true, type: "curvedCW", roundness: 0.1 };
    }
    network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
    network.on("doubleClick", function (params) {
      if (params.nodes.length) {
        var c = concepts[params.nodes[0]];
        if (c && c.url) window.location.href = c.url;
      }
    });
  }

  function restyle(step) {
    if (!network) return;
    var fresh = new Set(step["new"] || []);
    var focus = new Set(step.focus || []);
    var hot = new Set(step.new_edges || []);
    ((step.links && step.links.stated) || []).concat((step.links && step.links.inferred) || [])
      .forEach(function (l) { hot.add(l.id); });
    nodes.update(nodes.get().map(function (n) {
      var st = classStyle(n.cls);
      if (fresh.has(n.id)) {
        return { id: n.id, borderWidth: 4, font: { size: SIZE.fresh, color: st.font, face: FONT },
                 color: { background: st.bg, border: "#0d1117", highlight: { background: st.bg, border: "#0b5cad" },
                          hover: { background: st.bg, border: "#0b5cad" } },
                 shadow: { enabled: true, color: "rgba(0,0,0,0.35)", size: 14, x: 0, y: 4 } };
      }
      if (focus.has(n.id)) {
        return { id: n.id, borderWidth: 3, font: { size: SIZE.focus, color: st.font, face: FONT },
                 color: { background: st.bg, border: st.border, highlight: { background: st.bg, border: "#0b5cad" },
                          hover: { background: st.bg, border: "#0b5cad" } },
                 shadow: { enabled: false } };
      }
      return { id: n.id, borderWidth: 1, font: { size: SIZE.earlier, color: "#6e7781", face: FONT },
               color: { background: "#f1f3f5", border: "#c3cad1", highlight: { background: "#e7ecf0", border: "#0b5cad" },
                        hover: { background: "#e7ecf0", border: "#0b5cad" } },
               shadow: { enabled: false } };
    }));
    edges.update(edges.get().map(function (e) {
      if (hot.has(e.id)) {
        return { id: e.id, width: 3.5, label: edgeLabel(e), font: { color: "#0d1117" },
                 color: { color: edgeColour[e.id], highlight: "#0b5cad", hover: "#0b5cad", inherit: false } };
      }
      return { id: e.id, width: 1.4, label: undefined,
               color: { color: "#c3cad1", highlight: "#0b5cad", hover: "#0b5cad", inherit: false } };
    }));
    nodeView.refresh();
    edgeView.refresh();
  }

  // the box around some nodes, in canvas units: the drawn box of each node on the canvas, the measured
  // largest box of the others (the overview's nodes still to come)
  function box(ids) {
    var left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity, any = false;
    var drawn = network.getPositions(ids);
    ids.forEach(function (id) {
      var b = drawn[id] ? network.getBoundingBox(id) : null;
      if (!b || (b.right - b.left) < 2) {
        var p = drawn[id] || nodes.get(id), s = sizes[id] || { w: 232, h: 80 };
        if (!p) return;
        b = { left: p.x - s.w / 2, right: p.x + s.w / 2, top: p.y - s.h / 2, bottom: p.y + s.h / 2 };
      }
      any = true;
      left = Math.min(left, b.left); right = Math.max(right, b.right);
      top = Math.min(top, b.top); bottom = Math.max(bottom, b.bottom);
    });
    if (!any) return null;
    return { cx: (left + right) / 2, cy: (top + bottom) / 2, w: Math.max(1, right - left), h: Math.max(1, bottom - top) };
  }
  // the camera: every node of the step inside the canvas with MARGIN pixels around when that is readable
  // (the overview: every node of the tour, where the ones still to come will be), else what the step is
  // about; never zoomed in beyond MAX_ZOOM
  var fittedTo = "";  // the canvas size the camera last fitted the step to
  var framed = [];    // the nodes the camera last framed: all of the step's, or what it is about
  function camera(animate) {
    if (!network) return;
    var step = steps[current];
    var ids = overview ? allIds : Array.from(shownAt[current]);
    var W = container.clientWidth || 1, H = container.clientHeight || 1;
    fittedTo = W + "x" + H;
    var all = box(ids);
    if (!all) return;
    var scaleOf = function (b) { return Math.min((W - 2 * MARGIN) / b.w, (H - 2 * MARGIN) / b.h); };
    var target = all, scale = scaleOf(all);
    framed = ids;
    if (!overview && scale < READABLE) {
      // the whole step would be too small to read from the back of the room: frame what the step is
      // about with its neighbours when they fit at a readable size, else what it is about alone
      // (O shows everything)
      var core = (step.focus || []).filter(function (id) { return shownAt[current].has(id); });
      var around = new Set(core);
      edgeView.get().forEach(function (e) {
        if (around.has(e.from) || around.has(e.to)) { around.add(e.from); around.add(e.to); }
      });
      var wide = box(Array.from(around)), tight = box(core);
      if (wide && scaleOf(wide) >= READABLE * 0.8) { target = wide; scale = scaleOf(wide); framed = Array.from(around); }
      else if (tight) {
        // centred on what the step is about, zoomed in no further than reading needs, so that as much
        // of its neighbourhood as possible stays in view
        target = tight; framed = core;
        scale = Math.min(scaleOf(tight), Math.max(wide ? scaleOf(wide) : 0, READABLE * 0.8));
      }
    }
    network.moveTo({ position: { x: target.cx, y: target.cy }, scale: Math.max(Math.min(scale, MAX_ZOOM), 0.01),
                     animation: animate ? { duration: 450, easingFunction: "easeInOutQuad" } : false });
  }

  // -- the page around the graph -------------------------------------------------------------------------------
  var titleEl = document.getElementById("tour-title");
  var titleAlt = document.getElementById("tour-title-alt");
  var subtitleEl = document.getElementById("tour-subtitle");
  var countEl = document.getElementById("tour-count");
  var bar = document.getElementById("tour-bar");
  var newEl = document.getElementById("tour-new");
  var quotesEl = document.getElementById("tour-quotes-list");
  var linksEl = document.getElementById("tour-links");
  var notesEl = document.getElementById("tour-notes");
  var notesList = document.getElementById("tour-notes-list");
  var nav = { first: document.getElementById("tour-first"), prev: document.getElementById("tour-prev"),
              next: document.getElementById("tour-next"), last: document.getElementById("tour-last") };

  function stepUrl(i) {
    var url = new URL(window.location.href);
    url.searchParams.set("step", String(i + 1));
    url.hash = "";
    return url.pathname + url.search;
  }
  function renderText(step) {
    titleEl.textContent = pick(step.title);
    if (titleAlt) titleAlt.textContent = alt(step.title);
    if (subtitleEl) subtitleEl.textContent = pick(step.subtitle);
    document.title = pick(step.title) + " · " + pick(data.tour.title);
    if (countEl) {
      var hidden = el("span", t("tour.step") + " ", "visually-hidden");
      countEl.replaceChildren(hidden, document.createTextNode((current + 1) + " / " + count));
    }
    if (bar) {
      bar.setAttribute("aria-valuenow", String(current + 1));
      var fill = bar.firstElementChild || bar.appendChild(el("span"));
      fill.style.width = (100 * (current + 1) / count).toFixed(2) + "%";
    }
    if (newEl) {
      var fresh = step["new"] || [];
      var parts = [el("strong", t("tour.new") + ":"), document.createTextNode(" ")];
      if (!fresh.length) parts.push(document.createTextNode("—"));
      fresh.forEach(function (id) { parts.push(el("span", nameOf(id), "chip")); });
      newEl.replaceChildren.apply(newEl, parts);
      fitChips();
    }
    if (container) {
      container.setAttribute("aria-label", t("tour.graph") + ": " + shownAt[current].size + " · " + t("tour.new") + ": " +
        (step["new"] || []).map(nameOf).join("、"));
    }
    renderQuotes(step);
    renderLinks(step);
    renderNotes(step);
    Object.keys(nav).forEach(function (key) {
      var a = nav[key];
      if (!a) return;
      var target = key === "first" ? 0 : key === "last" ? count - 1 : key === "prev" ? Math.max(0, current - 1) : Math.min(count - 1, current + 1);
      a.href = stepUrl(target);
      var disabled = (key === "prev" || key === "first") ? current === 0 : current === count - 1;
      if (disabled) a.setAttribute("aria-disabled", "true"); else a.removeAttribute("aria-disabled");
    });
  }
  // the step's new concepts under the canvas, every one in view: set smaller when they would take more than
  // a quarter of the stage's height (the canvas keeps the rest); only if even the smallest size takes more
  // than 40 % does the list scroll (never under the navigation bar: it is a box of its own above it)
  var CHIPS_ROOM = 0.25, CHIPS_MOST = 0.4;
  function fitChips() {
    if (!newEl) return;
    var stage = newEl.parentElement, height = (stage && stage.clientHeight) || 600;
    var room = Math.max(72, Math.floor(height * CHIPS_ROOM)), most = Math.max(96, Math.floor(height * CHIPS_MOST));
    newEl.classList.remove("compact", "dense", "scrolls");
    newEl.style.removeProperty("--chips-room");
    if (newEl.scrollHeight <= room) return;
    newEl.classList.add("compact");
    if (newEl.scrollHeight <= room) return;
    newEl.classList.add("dense");
    if (newEl.scrollHeight <= most) return;
    newEl.style.setProperty("--chips-room", most + "px");
    newEl.classList.add("scrolls");
  }
  function renderQuotes(step) {
    if (!quotesEl) return;
    var quotes = step.quotes || [];
    if (!quotes.length) { quotesEl.replaceChildren(el("p", t("tour.no_quotes"), "empty")); return; }
    quotesEl.replaceChildren.apply(quotesEl, quotes.map(function (q) {
      var bq = el("blockquote", null, "tq" + (q.role === "evidence" ? " evidence" : ""));
      var p = el("p", q.exact);  // as the article has it: the panel's style marks it as a quote
      p.lang = "zh-CN";
      var footer = el("footer");
      footer.append(el("span", nameOf(q.concept), "who"), " · ",
                    el("span", pick(q.article_label) + " · " + q.paragraph, "where"));
      if (q.url && q.url.charAt(0) === "/") {
        var a = el("a", t("tour.context"));
        a.href = q.url;
        footer.append(" · ", a);
      }
      bq.append(p, footer);
      return bq;
    }));
  }
  function renderLinks(step) {
    if (!linksEl) return;
    var groups = [["stated", (step.links && step.links.stated) || [], t("tour.stated")],
                  ["inferred", (step.links && step.links.inferred) || [], t("tour.inferred")]];
    var parts = [el("h2", t("tour.links"))];
    groups.forEach(function (g) {
      if (!g[1].length) return;
      parts.push(el("h3", g[2], "badge " + g[0]));
      var ul = el("ul", null, "links " + g[0]);
      g[1].forEach(function (l) {
        var li = el("li");
        li.append(el("span", nameOf(l.from), "end"), " ", el("span", "—" + pick(l.label) + "→", "rel " + g[0]), " ",
                  el("span", nameOf(l.to), "end"));
        if (l.rationale) li.append(el("p", t("tour.why", { text: pick(l.rationale) }), "why"));
        if (l.evidence) {
          var exact = el("span", l.evidence.exact), evidence = el("p", null, "why");
          exact.lang = "zh-CN";
          evidence.append.apply(evidence, tNodes("tour.evidence", { text: exact }));
          li.append(evidence);
        }
        ul.append(li);
      });
      parts.push(ul);
    });
    linksEl.replaceChildren.apply(linksEl, parts);
    linksEl.hidden = parts.length === 1;
  }
  function renderNotes(step) {
    if (!notesList) return;
    var parts = [];
    (step.notes || []).forEach(function (n) {
      parts.push(el("dt", pick(n.label)));
      parts.push(el("dd", pick(n.text)));
      if (alt(n.text)) {
        var dd = el("dd", alt(n.text), "alt");
        dd.lang = other === "zh" ? "zh-CN" : "en";
        parts.push(dd);
      }
    });
    notesList.replaceChildren.apply(notesList, parts);
  }

  function go(i, animate) {
    var next = clamp(i);
    var changed = next !== current;
    current = next;
    var step = steps[current];
    renderText(step);
    if (network) {
      restyle(step);
      network.once("afterDrawing", function () { camera(animate !== false && changed); });
      network.redraw();
    }
    try { window.history.replaceState({ step: current + 1 }, "", stepUrl(current)); } catch (err) { /* file: URLs */ }
    // the language switch opens this step in the other language
    var langSwitch = document.querySelector("a.lang-switch");
    if (langSwitch) {
      var other = new URL(langSwitch.href, window.location.href);
      other.searchParams.set("step", String(current + 1));
      langSwitch.href = other.pathname + other.search;
    }
  }

  // -- full screen, notes, overview --------------------------------------------------------------------------
  function isFullscreen() { return !!(document.fullscreenElement || document.webkitFullscreenElement); }
  function toggleFullscreen() {
    if (isFullscreen()) {
      (document.exitFullscreen || document.webkitExitFullscreen).call(document);
    } else {
      var request = root.requestFullscreen || root.webkitRequestFullscreen;
      if (request) {
        var result = request.call(root);
        if (result && result.catch) result.catch(function () { /* refused: stay as we are */ });
      }
    }
  }
  function onFullscreenChange() {
    var on = isFullscreen();
    if (!on) leftFullscreenAt = Date.now();
    setPressed("fullscreen", on);
    window.setTimeout(refitSoon, 120);
  }
  document.addEventListener("fullscreenchange", onFullscreenChange);
  document.addEventListener("webkitfullscreenchange", onFullscreenChange);

  function setPressed(action, on) {
    var button = root.querySelector('[data-action="' + action + '"]');
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  var notesOn = false;
  try { notesOn = window.sessionStorage.getItem("tour-notes") === "1"; } catch (err) { notesOn = false; }
  function setNotes(on) {
    notesOn = on;
    if (notesEl) {
      notesEl.hidden = !on;
      if (on && notesEl.parentElement) notesEl.parentElement.scrollTop = 0;
    }
    setPressed("notes", on);
    try { window.sessionStorage.setItem("tour-notes", on ? "1" : "0"); } catch (err) { /* private mode */ }
  }
  function toggleOverview() {
    overview = !overview;
    setPressed("overview", overview);
    camera(true);
  }
  function backToList() {
    if (links.list) window.location.href = links.list;
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-action]");
    if (button) {
      var action = button.getAttribute("data-action");
      if (action === "notes") setNotes(!notesOn);
      else if (action === "overview") toggleOverview();
      else if (action === "fullscreen") toggleFullscreen();
      return;
    }
    var a = event.target.closest && event.target.closest("a");
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    var which = { "tour-first": 0, "tour-prev": current - 1, "tour-next": current + 1, "tour-last": count - 1 }[a.id];
    if (which === undefined) return;
    event.preventDefault();
    go(which);
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    switch (event.key) {
      case "ArrowRight": case "PageDown": go(current + 1); break;
      case " ": case "Spacebar": go(event.shiftKey ? current - 1 : current + 1); break;
      case "ArrowLeft": case "PageUp": go(current - 1); break;
      case "Home": go(0); break;
      case "End": go(count - 1); break;
      case "f": case "F": toggleFullscreen(); break;
      case "n": case "N": setNotes(!notesOn); break;
      case "o": case "O": toggleOverview(); break;
      case "Escape": case "Esc":
        if (isFullscreen()) toggleFullscreen();
        else if (Date.now() - leftFullscreenAt > 500) backToList();
        break;
      default: return;
    }
    event.preventDefault();
  });
  // a focused button would also "click" on the space bar's keyup: the keydown above already moved on
  document.addEventListener("keyup", function (event) {
    if ((event.key === " " || event.key === "Spacebar") && event.target && event.target.tagName === "BUTTON") {
      event.preventDefault();
    }
  });

  // the page fills the window under the site header; when the canvas changes size (the window, full screen,
  // a step whose title or new concepts take more lines) the drawing is refitted
  function fitPage() {
    var top = root.getBoundingClientRect().top + window.scrollY;
    root.style.setProperty("--tour-offset", Math.max(0, Math.round(top)) + "px");
  }
  fitPage();
  window.addEventListener("resize", function () { fitPage(); fitChips(); });
  var refit = 0;
  function refitSoon() {
    if (refit) window.cancelAnimationFrame(refit);
    refit = window.requestAnimationFrame(function () {
      refit = 0;
      if (!network || fittedTo === container.clientWidth + "x" + container.clientHeight) return;
      network.redraw();  // vis-network takes the canvas's new size
      camera(false);
    });
  }
  if (typeof ResizeObserver !== "undefined" && container) new ResizeObserver(refitSoon).observe(container);
  else window.addEventListener("resize", refitSoon);

  setNotes(notesOn);
  go(current, false);
  window.kgTour = { go: go, get step() { return current + 1; }, count: count, network: network,
                    get framed() { return framed.slice(); } };
})();
