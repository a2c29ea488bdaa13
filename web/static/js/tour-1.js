// A presentation tour (vis-network 9.1.2, vendored).  Reads the JSON island #tour-data with JSON.parse and
// redraws the step on the page; every piece of text goes in through textContent, never innerHTML.  Labels
// are drawn on a canvas (no markup), tooltips are plain strings.  The words it writes are the island's "ui"
// (the UI catalogue's tour section, in the page's language).
//
// Legible from the back of a room: a label's size on the screen is its font size times the camera's scale,
// and the camera never goes below MIN_SCALE, so what a step is about is drawn at 24 px or more and every
// other label at 16 px or more.  What does not fit at that scale is named beside the drawing (the chips at
// the top of the side panel), never shrunk.
//
// The tree (layout.bands): drawn at scale 1 in scenes laid out for the canvas's size, so the camera does not
// move.  Its first steps grow the overview in bands, one a layer from the roots (bottom) to the fruit (top):
// a pale band in the layer's colour, its name at the left, its components as white cards with a coloured
// border (what the step adds in colour); the model's name is the drawing's title, a card across the top (as
// on the design slide; not a card of the fruit's band).  In the largest type the canvas holds it in: each
// band's cards in as many lines as make it lowest, the cards of a line as wide as their labels need to take
// as few lines as may be (all alike where that does it), each band's name as wide as makes that band
// lowest; where the whole labels do not fit in type the back row reads (20 px), the editors' contractions of
// them (kg.pages.tours.contraction: "Learning creates happiness" for "The idea that learning creates
// happiness"; the whole name is in the tooltip, beside the drawing and in its own step), then the layers'
// too ("Trunk" for "Trunk: five learning mechanisms", like the slide's big one-character layer names; the
// whole name is the step's title above the drawing).  A component's step puts the component at the top and its practices in a grid
// below (the idea's own sentence, large, when it has none) with the overview as a minimap in the corner; the
// nodes glide from one scene to the next.  On a narrow canvas the layers stack (their contractions stay at
// the left).
//
// The other tours: the whole graph laid out once, so a concept keeps its place from step to step (the chain
// and the others come with coordinates); every node is measured in a hidden network at each of its looks and
// the gaps between rows and columns are widened where two boxes would come too close.  Each step shows what
// has been shown so far: the new concepts highlighted, the subject in colour and large, the rest dimmed; the
// camera fits the step when that is readable; a step whose concepts lie too far apart to be read together
// (long English labels) is packed into a grid for that step, what it is about in a row of its own above
// what it adds; else the camera frames what the step is about with as much of what is new as fits.  A card
// the frame would cut at the canvas's edge is left out of the drawing (a card cut in half cannot be read):
// what is new is listed beside the drawing, what the step is about named there.
// O: the tree's whole skeleton in its bands; another tour's outline of its steps.  F: the graph takes the
// screen.
//
// The speaker notes are never on this page: P (or the button) opens the presenter's window
// (presenter-1.js), and the two follow each other through a BroadcastChannel (localStorage events where
// there is none): same origin, offline, no server round trip.
// On a phone: swipe left / right.  Keys (kgGraph.stepKeys, the presenter's window's too): → / PageDown / space
// next, ← / PageUp / shift+space previous, Home / End first / last; this window's own: F full screen,
// P presenter, O overview, Esc close the overview or leave full screen.
// ?step=N is kept in the URL (replaceState) and in the language switch.  The font, the element builder, the
// text formatter and the labels are graphcommon-1.js's (kgGraph).
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
  // label sizes in canvas units; drawn at the camera's scale, never under MIN_SCALE, so that what a step
  // is about is drawn at 24 px or more and every other label at 16 px or more (what does not fit at that
  // scale is named beside the drawing, never shrunk)
  var SIZE = { fresh: 22, focus: 26, earlier: 20 };
  var EDGE_SIZE = 18;
  var MAX_ZOOM = 1.0;     // a small step is not blown up beyond its natural size
  // a phone (the swipe's breakpoint): read at arm's length, not from the back of a room, so the tree's
  // overview may go down to 12 px (16 px for the layers' names) rather than be cut at the canvas's edge
  var PHONE = !!(window.matchMedia && window.matchMedia("(max-width: 900px)").matches);
  var MIN_SCALE = 0.94;  // 26 × 0.94 = 24.4 px for the subject, 20 × 0.94 = 18.8 px for the rest
  var MARGIN = 20;       // screen pixels kept free around the step's graph in the canvas
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
    return common.nodeLabel(n, lang, layout.nodeWidth || 200, SIZE.focus);
  }
  function edgeLabel(e) { return layout.edgeLabels ? common.edgeLabel(e, lang) : undefined; }
  function nodeOptions(base) {
    var nodeWidth = layout.nodeWidth || 200;
    base.nodes = Object.assign({}, base.nodes || {}, {
      font: { face: FONT, size: SIZE.earlier, multi: false },
      widthConstraint: { maximum: nodeWidth },
      // the tree's scenes: TREE_MARGIN from the start (vis-network 9.1.2 keeps a box's size when only its
      // margin changes, so a box given smaller margins later would stay too tall)
      margin: layout.bands && layout.bands.length ? { top: 6, bottom: 6, left: 9, right: 9 } : { top: 10, bottom: 10, left: 12, right: 12 },
      shapeProperties: { borderRadius: 5 }
    });
    base.edges = Object.assign({}, base.edges || {}, {
      // level labels: vis-network 9.1.2 draws a "middle" (rotated) label of an exactly level edge at the
      // canvas origin instead of on the edge, and the layout has many level edges
      font: { face: FONT, size: EDGE_SIZE, align: "horizontal", strokeWidth: 5, strokeColor: "#ffffff", multi: false }
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
  var LOOKS = [{ size: SIZE.fresh, border: 4 }, { size: SIZE.focus, border: 4 }, { size: SIZE.earlier, border: 1 }];
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

  // the nodes the camera's frame would cut at the canvas's edge: left out of the drawing (a card cut in
  // half cannot be read; what is new is listed beside the drawing, what the step is about named there)
  var clipped = new Set();
  var sizes = {}, allIds = [], rawById = {};
  // the tree: its overview in bands (kg.tours.builders: layout.bands, layout.parts), drawn at scale 1
  var bands = hasVis && layout.bands && layout.bands.length ? layout.bands : null;
  var parts = layout.parts || {};
  var skeleton = new Set();
  if (bands) {
    if (layout.model) skeleton.add(layout.model);
    bands.forEach(function (b) { skeleton.add(b.layer); b.components.forEach(function (c) { skeleton.add(c); }); });
  }
  var sceneIds = null;  // the tree: the nodes its scene shows (else every node shown so far)
  if (hasVis) {
    (data.vis.nodes || []).forEach(function (n) { rawById[n.id] = n; });
    var rawNodes = data.vis.nodes || [], rawEdges = data.vis.edges || [];
    var laid = bands ? null : laidOut(rawNodes, rawEdges);
    var positions = {};
    rawNodes.forEach(function (n) {
      var p = laid && laid[n.id];
      positions[n.id] = { x: p ? p.x : (n.x || 0), y: p ? p.y : (n.y || 0) };
      allIds.push(n.id);
    });
    if (!bands) {
      sizes = measured(rawNodes);
      spread(allIds, positions, sizes);
    }
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
    nodeView = new vis.DataView(nodes, { filter: function (n) {
      if (clipped.has(n.id)) return false;
      if (sceneIds) return sceneIds.has(n.id);
      return overview ? skeletonIds.has(n.id) : shownAt[current].has(n.id); } });
    edgeView = new vis.DataView(edges, { filter: function (e) {
      if (!edgesAt[current].has(e.id) || clipped.has(e.from) || clipped.has(e.to)) return false;
      if (!sceneIds) return true;
      // the tree's bands show its skeleton: no lines between the model, its layers and components
      return sceneIds.has(e.from) && sceneIds.has(e.to) && !(skeleton.has(e.from) && skeleton.has(e.to)); } });
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
    // the tree's overview: a pale band a layer, in its components' colour, behind its name and cards
    if (bands) network.on("beforeDrawing", function (ctx) {
      if (treeScene !== "overview") return;
      var W = container.clientWidth || 700, o = overviewPlaces(W, container.clientHeight || 450);
      o.frames.forEach(function (f, i) {
        if (!overview && !shownAt[current].has(f.layer)) return;
        var st = classStyle((nodes.get(bands[i].components[0]) || {}).cls);
        ctx.fillStyle = tint(st.bg, 0.8);
        ctx.fillRect(-W / 2 + 3, f.top + 2, W - 6, f.bottom - f.top - 4);
      });
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) {
        var c = concepts[params.nodes[0]];
        if (c && c.url) window.location.href = c.url;
      }
    });
  }

  function restyle(step) {
    if (!network) return;
    clipped = new Set();
    if (bands) { treeStyle(step); return; }
    var fresh = new Set(step["new"] || []);
    var subject = new Set(step.subject || []);
    // a step whose concepts lie too far apart to be read together (long English labels make the layout
    // wide): what it is about and what it adds, packed into a grid for it
    packed = !overview ? packPlaces(step) : null;
    sceneIds = packed ? new Set(Object.keys(packed.pos)) : null;
    nodeView.refresh();
    edgeView.refresh();
    var placed = function (look) {
      var p = packed && packed.pos[look.id], home = positions[look.id];
      if (p) {
        look.x = p.x; look.y = p.y; look.widthConstraint = inner(packed.width[look.id]); look.margin = TREE_MARGIN;
        look.font.size = packed.font[look.id];
        look.label = treeLabel(look.id, packed.width[look.id], look.font.size);
      } else if (home) {
        look.x = home.x; look.y = home.y; look.widthConstraint = { minimum: 1, maximum: layout.nodeWidth || 200 };
        look.margin = { top: 10, bottom: 10, left: 12, right: 12 };
        look.label = labelOf(rawById[look.id] || {});
      }
      return look;
    };
    var hot = new Set(step.new_edges || []);
    ((step.links && step.links.stated) || []).concat((step.links && step.links.inferred) || [])
      .forEach(function (l) { hot.add(l.id); });
    nodes.update(nodes.get().map(function (n) { return placed(look(n)); }));
    function look(n) {
      var st = classStyle(n.cls);
      if (fresh.has(n.id)) {
        return { id: n.id, borderWidth: 4, font: { size: subject.has(n.id) ? SIZE.focus : SIZE.fresh, color: st.font, face: FONT },
                 color: { background: st.bg, border: "#0d1117", highlight: { background: st.bg, border: "#0b5cad" },
                          hover: { background: st.bg, border: "#0b5cad" } },
                 shadow: { enabled: true, color: "rgba(0,0,0,0.35)", size: 14, x: 0, y: 4 } };
      }
      if (subject.has(n.id)) {
        return { id: n.id, borderWidth: 4, font: { size: SIZE.focus, color: st.font, face: FONT },
                 color: { background: st.bg, border: st.border, highlight: { background: st.bg, border: "#0b5cad" },
                          hover: { background: st.bg, border: "#0b5cad" } },
                 shadow: { enabled: false } };
      }
      return { id: n.id, borderWidth: 1, font: { size: SIZE.earlier, color: "#6e7781", face: FONT },
               color: { background: "#f1f3f5", border: "#c3cad1", highlight: { background: "#e7ecf0", border: "#0b5cad" },
                        hover: { background: "#e7ecf0", border: "#0b5cad" } },
               shadow: { enabled: false } };
    }
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


  // -- an overview step of the other tours, packed: its concepts in a grid at scale 1, in the steps' order ----------
  var packed = null;
  function packPlaces(step) {
    var W = container.clientWidth || 700, H = container.clientHeight || 450, M = 12, gap = 16;
    var ids = [];
    (step.subject || []).concat(step["new"] || []).forEach(function (id) {
      if (ids.indexOf(id) < 0 && positions[id]) ids.push(id);
    });
    if (!ids.length) return null;
    // does the step fit as laid out, at a readable scale?
    var l = Infinity, r = -Infinity, tp = Infinity, bt = -Infinity;
    ids.forEach(function (id) {
      var p = positions[id], sz = sizes[id] || { w: 232, h: 80 };
      l = Math.min(l, p.x - sz.w / 2); r = Math.max(r, p.x + sz.w / 2);
      tp = Math.min(tp, p.y - sz.h / 2); bt = Math.max(bt, p.y + sz.h / 2);
    });
    if (Math.min((W - 2 * MARGIN) / (r - l), (H - 2 * MARGIN) / (bt - tp)) >= MIN_SCALE) return null;
    // what the step is about in a row of its own at the top (as wide as the canvas allows: a part's long
    // name), what it adds in a grid below
    var subject = new Set(step.subject || []), best = null;
    var heads = ids.filter(function (id) { return subject.has(id); }), rest = ids.filter(function (id) { return !subject.has(id); });
    if (heads.length > 2 || !rest.length) { heads = []; rest = ids; }
    [1, 0.92, 0.85, 0.77, 0.73].some(function (k) {  // 26 / 22 px down to 24 / 16 px
      for (var cols = 1; cols <= 4; cols++) {
        var w = Math.floor((W - 2 * M) / cols - gap);
        if (w < 130) break;
        var rows = [];
        if (heads.length) rows.push({ ids: heads, w: Math.min(560, Math.floor((W - 2 * M) / heads.length - gap)) });
        for (var r0 = 0; r0 * cols < rest.length; r0++) rows.push({ ids: rest.slice(r0 * cols, r0 * cols + cols), w: w });
        var font = {}, width = {}, items = [];
        rows.forEach(function (row) {
          row.ids.forEach(function (id) {
            font[id] = subject.has(id) ? Math.max(24, Math.round(SIZE.focus * k)) : Math.round(SIZE.fresh * k);
            width[id] = row.w;
            items.push({ id: id, label: treeLabel(id, row.w, font[id]), size: font[id], width: row.w, border: 4 });
          });
        });
        var b = measureBoxes(items);
        var hs = rows.map(function (row) { return row.ids.reduce(function (h, id) { return Math.max(h, b[id].h); }, 0) + gap; });
        var total = hs.reduce(function (a, c) { return a + c; }, 0);
        // an ellipse is drawn wider than its text's box: a card wider than its cell would be cut or overlap
        var wide = rows.some(function (row) {
          return row.ids.some(function (id) { return b[id].w > (W - 2 * M) / row.ids.length - 2; });
        });
        if (wide) continue;
        if (total <= H - 2 * M) { best = { rows: rows, hs: hs, total: total, font: font, width: width }; return true; }
      }
      return false;
    });
    if (!best) return null;
    var spare = Math.min(70, (H - 2 * M - best.total) / best.hs.length);  // room between rows for the links
    var pos = {}, y = -(best.total + spare * best.hs.length) / 2;
    best.rows.forEach(function (row, r0) {
      var h = best.hs[r0] + spare, cell = (W - 2 * M) / row.ids.length;
      if (row.ids.length === 1) cell = Math.min(cell, row.w + gap);
      var start = -cell * row.ids.length / 2;
      row.ids.forEach(function (id, k) { pos[id] = { x: start + cell * (k + 0.5), y: y + h / 2 }; });
      y += h;
    });
    return { pos: pos, width: best.width, font: best.font };
  }

  // -- the tree: scenes drawn at scale 1, so a label's font size is its size on the screen -------------------
  // The overview: a band per layer from the roots (bottom) to the fruit (top), the layer's name at the left
  // and its components in a row, every box as wide as its band allows; computed for the canvas's size, so
  // the first steps grow it in one frame.  A component's step: the component at the top, its practices in a
  // grid below (the idea's own sentence, large, when it has none), the overview as a minimap in the corner.
  var TREE = { subject: 24, fresh: 18, earlier: 16, part: 20, least: 16, head: 26 };
  var PHONE_TYPE = { least: 12, head: 16 };
  var TREE_MARGIN = { top: 6, bottom: 6, left: 9, right: 9 };
  var sceneCache = {};
  function measureBoxes(items) {  // items: {id, label, size, width, border} -> {id: {w, h}} (canvas units)
    var options = nodeOptions(JSON.parse(JSON.stringify(data.vis.options || {})));
    options.layout = { hierarchical: { enabled: false }, randomSeed: 7 };
    options.physics = { enabled: false };
    var scratch = offscreen();
    var set = new vis.DataSet(items.map(function (it, k) {
      var n = rawById[it.id] || {};
      return { id: k, label: it.label, shape: n.shape, group: n.group, x: 0, y: 0, fixed: { x: true, y: true },
               borderWidth: it.border || 1, font: { size: it.size, face: FONT }, margin: TREE_MARGIN,
               widthConstraint: inner(it.width) };
    }));
    var temp = new vis.Network(scratch, { nodes: set, edges: new vis.DataSet([]) }, options);
    temp.redraw();
    var out = {};
    items.forEach(function (it, k) {
      var b = temp.getBoundingBox(k);
      var prev = out[it.key || it.id] || { w: 0, h: 0 };
      out[it.key || it.id] = { w: Math.max(prev.w, b ? b.right - b.left : it.width), h: Math.max(prev.h, b ? b.bottom - b.top : 60) };
    });
    temp.destroy();
    scratch.remove();
    return out;
  }
  // the widest line of a label at a font size, in pixels (a word longer than its box would be broken)
  var ruler = null;
  function widest(label, size) {
    if (!ruler) ruler = document.createElement("canvas").getContext("2d");
    ruler.font = size + "px " + FONT;
    return Math.ceil(String(label).split("\n").reduce(function (m, line) { return Math.max(m, ruler.measureText(line).width); }, 0));
  }
  // vis-network's widthConstraint is the label's width: the box adds its margins and border
  function inner(width) { var w = Math.max(40, width - 26); return { minimum: w, maximum: w }; }
  // the widest line a box of that width holds: vis-network 9.1.2 takes the margins (TREE_MARGIN) off the
  // widthConstraint too, and wraps a line that would fill it
  function textRoom(width) { return Math.max(40, width - 26) - TREE_MARGIN.left - TREE_MARGIN.right - 2; }
  // short: the editors' contraction of the label (kg.pages.tours.contraction), where there is one
  function treeLabel(id, width, size, short) {
    var c = short && concepts[id] && concepts[id].short, n = rawById[id] || { label_zh: id };
    if (c && c[lang]) n = { label_zh: c.zh || n.label_zh, label_zh_atoms: c.zh_atoms || n.label_zh_atoms, label_en: c.en ? c.en.charAt(0).toUpperCase() + c.en.slice(1) : n.label_en };
    return common.nodeLabel(n, lang, width - 12, size);
  }

  // the model's name as the overview's title: whole where it fits a line of the canvas; else its name up to
  // and including the editors' contraction of it, where the name holds it ("45231" tree model, the design
  // slide's title; the whole name is in the tooltip and in the subtitle above the drawing); else wrapped
  function titleLabel(width, size) {
    var id = layout.model, whole = treeLabel(id, width, size);
    if (whole.indexOf("\n") < 0 && widest(whole, size) * 1.12 <= textRoom(width)) return whole;  // see bandPlacesAt
    var c = concepts[id] && concepts[id].short, full = pick((concepts[id] || {}).label);
    var short = c && c[lang], at = short ? full.toLowerCase().indexOf(short.toLowerCase()) : -1;
    if (at < 0 || lang !== "en") return whole;  // Chinese: wrapped by kgLines at its atoms
    var head = full.slice(0, at + short.length);
    return widest(head, size) * 1.12 <= textRoom(width) ? head : whole;
  }

  // the overview's places, for a canvas W × H: {pos, width, band (id -> band index), s (the components'
  // size), head (the layers' size), frames (each band's top and bottom), title (the model) and titleLabel}:
  // the largest type, from 26 px down to 16 px (12 on a phone), at which the whole overview fits the canvas,
  // whole labels first, then contractions; each band's components in as many lines as make it lowest, each
  // card as wide as its label needs (an English label wraps inside its box)
  function overviewPlaces(W, H) {
    var key = "o" + W + "x" + H;
    if (sceneCache[key]) return sceneCache[key];
    // the whole labels in type the back row reads (20 px and more), else the components' contractions
    // (their whole names are in the tooltips, beside the drawing and in their own steps), else whatever fits
    var found = null, lowest = null;
    var least = PHONE ? PHONE_TYPE.least : TREE.least;
    // [size, the components' contractions, the layers' contractions ("Trunk" for "Trunk: five learning
    // mechanisms", like the design slide's big one-character layer names: the whole name is the step's title above the drawing)]
    var ways = [[26, false], [24, false], [22, false], [20, false], [26, true], [24, true], [22, true], [20, true],
                [24, true, true], [22, true, true], [20, true, true],
                [18, true], [18, true, true], [TREE.least, true], [TREE.least, true, true], [18, false], [TREE.least, false]];
    if (PHONE) ways = ways.concat([[14, true, true], [least, true, true], [14, false], [least, false]]);
    ways.some(function (way) {
      found = bandPlaces(W, H, way[0], way[1], way[2]);
      if (way[0] === least && (!lowest || found.total < lowest.total)) lowest = found;
      return found.fits;
    });
    if (!found.fits) found = lowest || found;  // nothing fits: the least type, the lowest way (the camera follows the step)
    sceneCache[key] = found;
    return found;
  }
  // the widest word of a label (English wraps between words; Chinese lines were wrapped to fit already)
  function widestWord(label, size) {
    var words = lang === "en" ? String(label).split(/\s+/) : String(label).split("\n");
    return words.reduce(function (m, word) { return Math.max(m, widest(word, size)); }, 0);
  }
  // how many lines a label takes in a card of width w: the Chinese as kgLines wraps it, the English as
  // vis-network does (word by word, a line as long as the card's room holds)
  function linesAt(id, w, s, short) {
    var label = treeLabel(id, w, s, short), r = textRoom(w), n = 0;
    if (lang !== "en") {  // a line longer than the card's room would be broken again by vis-network: never
      var lines = label.split("\n");
      return lines.some(function (line) { return widest(line, s) > r; }) ? Infinity : lines.length;
    }
    label.split("\n").forEach(function (para) {
      var line = "";
      para.split(/\s+/).forEach(function (word) {
        if (widest(word, s) > r) n = Infinity;  // a word longer than the card is cut in two: never
        var longer = line ? line + " " + word : word;
        if (line && widest(longer, s) > r) { n++; line = word; } else line = longer;
      });
      n++;
    });
    return n;
  }
  // the widths of a line of cards that share `total` pixels, so that the card of the most lines has as few
  // as may be: all alike where that does it (a tidy row), else each card as narrow as that number of lines
  // allows, the room left shared out alike (null: not even six lines each fit)
  function cardWidths(ids, total, s, short) {
    var even = Math.floor(total / ids.length), least = 90;
    if (even < least) return null;
    for (var T = 1; T <= 6; T++) {
      var need = {}, sum = 0, ok = true;
      ids.forEach(function (id) {
        if (!ok) return;
        if (linesAt(id, total - least * (ids.length - 1), s, short) > T) { ok = false; return; }
        var lo = least, hi = total - least * (ids.length - 1);
        while (hi - lo > 2) {
          var mid = Math.floor((lo + hi) / 2);
          if (linesAt(id, mid, s, short) <= T) hi = mid; else lo = mid;
        }
        need[id] = linesAt(id, lo, s, short) <= T ? lo : hi;
        sum += need[id];
      });
      if (!ok || sum > total) continue;
      var out = {};
      if (ids.every(function (id) { return need[id] <= even; })) {
        ids.forEach(function (id) { out[id] = Math.min(320, even); });
      } else {
        ids.forEach(function (id) { out[id] = Math.floor(need[id] + (total - sum) / ids.length); });
      }
      return out;
    }
    return null;
  }
  // each layer's name as narrow as it allows, or wider where that lets it take fewer lines: in each band
  // whichever makes that band lower (a band of few cards has room for its name on one line, a band of many
  // gives its cards the width)
  function bandPlaces(W, H, s, short, shortLayers) {
    if (W < 600) return bandPlacesAt(W, H, s, short, shortLayers, bands.map(function () { return 0; }));
    var tried = [0.2, 0.25, 0.3, 0.35].map(function (k) {
      var least = Math.round(Math.max(140, Math.min(280, W * k)));
      return { least: least, found: bandPlacesAt(W, H, s, short, shortLayers, bands.map(function () { return least; })) };
    });
    var mixed = bands.map(function (b, i) {
      // the lowest band; of two as low, the one whose name takes fewer lines
      return tried.reduce(function (a, t) {
        var dh = t.found.heights[i] - a.found.heights[i];
        return dh < -0.5 || (dh <= 0.5 && t.found.names[i] < a.found.names[i] - 0.5) ? t : a;
      }).least;
    });
    var best = bandPlacesAt(W, H, s, short, shortLayers, mixed);
    tried.forEach(function (t) { if (t.found.total < best.total - 0.5) best = t.found; });
    return best;
  }
  function bandPlacesAt(W, H, s, short, shortLayers, least) {
    var M = 5, gap = 6, hgap = 12;
    // a layer's name: what a growing step is about (on a phone as little larger than its cards as it may be)
    var head = PHONE ? Math.max(PHONE_TYPE.head, s + 2) : Math.max(TREE.subject, s + 2);
    var rows = bands.map(function (b) { return { layer: b.layer, items: b.components.slice() }; });
    // the model is the drawing's title (as on the design slide): a card of its own across the top, in the
    // layers' type, its whole name (wrapped when the canvas is narrower than it)
    var title = layout.model || null, titleW = 0;
    var titleText = title ? titleLabel(W - 2 * M, head) : "";
    if (title) {  // as narrow as its name allows in the fewest lines the canvas's width gives it
      var lines = function (w) { return titleLabel(w, head).split("\n").length; };
      var fewest = lines(W - 2 * M);
      // (a tenth to spare: vis-network 9.1.2 wrapped a line the canvas measures 775 px long in a box of 844)
      titleW = Math.min(W - 2 * M, Math.ceil(widest(titleText, head) * 1.12) + 48);
      while (titleW < W - 2 * M && lines(titleW) > fewest) titleW = Math.min(W - 2 * M, titleW + 16);
      titleText = titleLabel(titleW, head);
    }
    // a narrow canvas (a phone): each layer's name on a line of its own above its components
    var stacked = W < 600 && !shortLayers;  // a layer's contraction ("Trunk") keeps its place at the left
    var colWs = rows.map(function (row, i) {
      if (stacked) return W - 2 * M;
      var w = least[i];
      w = Math.max(w, widestWord(treeLabel(row.layer, w - hgap, head, shortLayers), head) + (200 - textRoom(200)) + hgap);  // the box around that text
      return Math.min(w, Math.round(W * 0.35));
    });
    // every way of putting each band's components in 1..n lines, measured in one go
    var spans = colWs.map(function (colW) { return stacked ? W - 2 * M : W - 2 * M - colW - hgap; });
    var items = [], ways = rows.map(function (row, i) {
      var colW = colWs[i], span = spans[i];
      items.push({ id: row.layer, key: row.layer, label: treeLabel(row.layer, colW - hgap, head, shortLayers), size: head, width: colW - hgap, border: 4 });
      var options = [];
      for (var L = 1; L <= row.items.length; L++) {
        var per = Math.ceil(row.items.length / L);
        if (L > 1 && Math.ceil(row.items.length / (L - 1)) === per) continue;
        var cell = Math.min(320, span / per), w = Math.floor(cell - hgap);
        if (w < 90) continue;
        var fits = row.items.every(function (id) { return widestWord(treeLabel(id, w, s, short), s) <= textRoom(w); });
        var lines = [];
        for (var k = 0; k * per < row.items.length; k++) lines.push(row.items.slice(k * per, k * per + per));
        var widths = {}, allSized = true;
        lines.forEach(function (line) {
          var sized = cardWidths(line, Math.min(span, 320 * line.length) - hgap * line.length, s, short);
          if (!sized) allSized = false;
          line.forEach(function (id) { widths[id] = sized ? sized[id] : w; });
        });
        if (!fits && L < row.items.length && !allSized) continue;
        options.push({ per: per, cell: cell, w: w, widths: widths });
        row.items.forEach(function (id) {
          items.push({ id: id, key: id + "@" + widths[id], label: treeLabel(id, widths[id], s, short), size: s, width: widths[id], border: 4 });
        });
      }
      return options;
    });
    if (title) items.push({ id: title, key: title, label: titleText, size: head, width: titleW, border: 4 });
    var b = measureBoxes(items);
    var titleH = title ? b[title].h + gap : 0;
    var chosen = rows.map(function (row, i) {
      var best = null;
      ways[i].forEach(function (way) {
        var hs = [];
        for (var k = 0; k * way.per < row.items.length; k++) {
          hs.push(row.items.slice(k * way.per, k * way.per + way.per)
            .reduce(function (h, id) { return Math.max(h, b[id + "@" + way.widths[id]].h); }, 0) + gap);
        }
        var comps = hs.reduce(function (a, c) { return a + c; }, 0);
        var layerH = b[row.layer].h + gap;
        var height = stacked ? layerH + comps : Math.max(layerH, comps);
        if (!best || height < best.height - 0.5) best = { way: way, hs: hs, comps: comps, height: height };
      });
      return best;
    });
    var heights = chosen.map(function (c) { return c.height; });
    var total = heights.reduce(function (a, c) { return a + c; }, titleH);
    var extra = Math.max(0, (H - 2 * M - total) / rows.length);
    var pos = {}, band = {}, width = {}, y = H / 2 - M, frames = [];
    if (title) {
      pos[title] = { x: 0, y: H / 2 - M - total - rows.length * extra + (titleH - gap) / 2 };
      width[title] = titleW;
    }
    rows.forEach(function (row, i) {
      var c = chosen[i], h = heights[i] + extra, cy = y - h / 2, layerH = b[row.layer].h + gap, colW = colWs[i], span = spans[i];
      frames.push({ top: y - h, bottom: y, layer: row.layer });
      width[row.layer] = colW - hgap;
      pos[row.layer] = stacked ? { x: 0, y: y - h + layerH / 2 } : { x: -W / 2 + M + colW / 2, y: cy };
      band[row.layer] = i;
      var left = stacked ? -W / 2 + M : -W / 2 + M + colW + hgap;
      var top = stacked ? y - h + layerH + (h - layerH - c.comps) / 2 : cy - c.comps / 2;
      c.hs.forEach(function (lh, k) {
        var line = row.items.slice(k * c.way.per, k * c.way.per + c.way.per);
        var sum = line.reduce(function (a, id) { return a + c.way.widths[id] + hgap; }, 0);
        var x = left + (span - sum) / 2;
        line.forEach(function (id) {
          pos[id] = { x: x + (c.way.widths[id] + hgap) / 2, y: top + lh / 2 };
          x += c.way.widths[id] + hgap;
          band[id] = i;
          width[id] = c.way.widths[id];
        });
        top += lh;
      });
      y -= h;
    });
    return { pos: pos, width: width, band: band, rows: rows, frames: frames, s: s, head: head, short: !!short, shortLayers: !!shortLayers, title: title, titleLabel: titleText,
             names: rows.map(function (row) { return b[row.layer].h; }),
             fits: total <= H - 2 * M, heights: heights, total: total, M: M };
  }

  // a component's step: the component at the top (beside the minimap), its practices in a grid below
  var MINIMAP = { w: 172, h: 122 };
  function detailPlaces(W, H, comp) {
    var key = "d" + W + "x" + H + comp;
    if (sceneCache[key]) return sceneCache[key];
    var M = 10, gap = 14, kids = parts[comp] || [];
    var topW = Math.min(460, W - 2 * M - MINIMAP.w - gap);
    var head = measureBoxes([{ id: comp, label: treeLabel(comp, topW, TREE.head), size: TREE.head, width: topW, border: 4 }])[comp];
    var headH = Math.max(head.h, MINIMAP.h);
    var pos = {}, width = {}, font = {};
    pos[comp] = { x: -W / 2 + M + topW / 2, y: -H / 2 + M + headH / 2 };
    width[comp] = topW;
    font[comp] = TREE.head;
    var room = H - 2 * M - headH - gap, best = null;
    if (kids.length) {
      // the largest font and the fewest columns at which every practice fits the room below
      [24, 22, TREE.part, 18, TREE.least].some(function (size) {
        for (var cols = 1; cols <= 4; cols++) {
          var w = Math.floor((W - 2 * M) / cols - gap);
          if (w < 110) break;
          var b = measureBoxes(kids.map(function (id) { return { id: id, label: treeLabel(id, w, size), size: size, width: w, border: 4 }; }));
          var rowsN = Math.ceil(kids.length / cols), hs = [];
          for (var r = 0; r < rowsN; r++) {
            hs.push(kids.slice(r * cols, r * cols + cols).reduce(function (h, id) { return Math.max(h, b[id].h); }, 0) + gap);
          }
          var total = hs.reduce(function (a, c) { return a + c; }, 0);
          if (total <= room || (size === TREE.least && cols === 4)) {
            best = { size: size, cols: cols, w: w, hs: hs, total: total };
            return true;
          }
        }
        return false;
      });
      if (!best) best = { size: TREE.least, cols: 1, w: W - 2 * M - gap, hs: kids.map(function () { return 60; }), total: 60 * kids.length };
      var y = -H / 2 + M + headH + gap + Math.max(0, (room - best.total) / 2);
      best.hs.forEach(function (h, r) {
        var row = kids.slice(r * best.cols, r * best.cols + best.cols);
        var cell = (W - 2 * M) / best.cols, start = -W / 2 + M + ((W - 2 * M) - cell * row.length) / 2;
        row.forEach(function (id, k) {
          pos[id] = { x: start + cell * (k + 0.5), y: y + h / 2 };
          width[id] = best.w;
          font[id] = best.size;
        });
        y += h;
      });
    }
    sceneCache[key] = { pos: pos, width: width, font: font, kids: kids, cardTop: M + headH + gap };
    return sceneCache[key];
  }

  var treePos = {}, treeTarget = {};  // where each node of the tree is drawn now (canvas units)
  var tween = 0, moves = 0;
  function moveNodes(target, animate) {
    if (tween) { window.cancelAnimationFrame(tween); tween = 0; }
    var ids = Object.keys(target);
    var from = {};
    ids.forEach(function (id) { from[id] = treePos[id] || target[id]; });
    var apply = function (f) {
      ids.forEach(function (id) {
        var a = from[id], b = target[id];
        var p = { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
        treePos[id] = p;
        if (network.body.nodes[id] && sceneIds.has(id)) network.moveNode(id, p.x, p.y);
      });
      network.redraw();
    };
    var moving = animate && ids.some(function (id) {
      return treePos[id] && (Math.abs(from[id].x - target[id].x) > 1 || Math.abs(from[id].y - target[id].y) > 1);
    });
    if (!moving) { apply(1); return; }
    var t0 = 0, span = 420;
    var frame = function (now) {
      if (!t0) t0 = now;
      var k = Math.min(1, (now - t0) / span), f = k < 0.5 ? 2 * k * k : 1 - Math.pow(-2 * k + 2, 2) / 2;
      apply(f);
      tween = k < 1 ? window.requestAnimationFrame(frame) : 0;
    };
    tween = window.requestAnimationFrame(frame);
    // a window in the background gets few or no animation frames: the nodes reach their places anyway
    var mine = ++moves;
    window.setTimeout(function () {
      if (!tween || mine !== moves) return;
      window.cancelAnimationFrame(tween);
      tween = 0;
      apply(1);
    }, span + 200);
  }

  var treeScene = null;
  var lastCy = 0;  // what the tree shows now: "overview" or a component's id
  function treeStyle(step) {
    var W = container.clientWidth || 700, H = container.clientHeight || 450;
    var subject = new Set(step.subject || []), fresh = new Set(step["new"] || []);
    var detail = !overview && step.kind === "component";
    var comp = detail ? step.subject[0] : null;
    var ids, pos, width, font = {}, d = null, shortNames = new Set();
    if (detail) {
      d = detailPlaces(W, H, comp);
      ids = [comp].concat(d.kids);
      pos = d.pos; width = d.width; font = d.font;
    } else {
      var o = overviewPlaces(W, H);
      ids = Array.from(skeleton).filter(function (id) { return overview || shownAt[current].has(id); });
      pos = o.pos; width = o.width;
      ids.forEach(function (id) {
        var layerNode = o.band[id] !== undefined && bands[o.band[id]].layer === id;
        font[id] = layerNode || id === o.title ? o.head : o.s;
        if (layerNode ? o.shortLayers : o.short && id !== o.title) shortNames.add(id);
      });
    }
    treeScene = detail ? comp : "overview";
    var sceneBefore = sceneIds;
    sceneIds = new Set(ids);
    nodeView.refresh();
    edgeView.refresh();
    nodes.update(ids.map(function (id) {
      var n = nodes.get(id), st = classStyle(n.cls), size = font[id];
      var hot = !overview && (subject.has(id) || fresh.has(id)), main = !overview && subject.has(id);
      // on the bands: a card in white with its class's colour as the border, dark text; what the step adds
      // in its class's colour; what it is about with a black border and a shadow
      var bg = hot ? st.bg : "#ffffff", border = main ? "#0d1117" : st.border;
      var look = { id: id, label: !detail && id === layout.model ? o.titleLabel : treeLabel(id, width[id], size, shortNames.has(id)), borderWidth: main ? 4 : hot ? 3 : 2, margin: TREE_MARGIN,
               widthConstraint: inner(width[id]),
               font: { size: size, face: FONT, color: hot ? st.font : "#0d1117" },
               color: { background: bg, border: border, highlight: { background: bg, border: "#0b5cad" },
                        hover: { background: bg, border: "#0b5cad" } },
               shadow: { enabled: main, color: "rgba(0,0,0,0.3)", size: 12, x: 0, y: 4 } };
      if (!(sceneBefore && sceneBefore.has(id))) { look.x = (treePos[id] || pos[id]).x; look.y = (treePos[id] || pos[id]).y; }
      return look;
    }));
    var target = {};
    ids.forEach(function (id) { target[id] = pos[id]; });
    treeTarget = target;
    edges.update(edges.get().map(function (e) {
      return { id: e.id, width: 2.5, label: undefined,
               color: { color: edgeColour[e.id], highlight: "#0b5cad", hover: "#0b5cad", inherit: false } };
    }));
    moveNodes(target, true);
    drawMinimap(detail ? comp : null, W, H);
    showCard(detail && !d.kids.length ? step : null, detail ? d.cardTop : 0);
  }

  // a component without practices (the four ideas): its own sentence, large, under its name
  var card = null;
  function showCard(step, top) {
    if (!card) {
      card = el("blockquote", null, "tour-card");
      card.id = "tour-card";
      container.style.position = "relative";
      container.appendChild(card);
    }
    card.hidden = !step;
    if (!step) return;
    var own = (step.quotes || []).filter(function (q) { return q.role !== "evidence"; }).slice(0, 2);
    var parts = [];
    own.forEach(function (q) {
      var p = el("p", q.exact);
      p.lang = "zh-CN";
      parts.push(p);
      if (lang === "en" && q.en) parts.push(rendering(q.en, "alt"));
    });
    if (!parts.length || (lang === "en" && !own.some(function (q) { return q.en; })))
      parts.push(el("p", pick(step.title), parts.length ? "alt" : null));
    card.replaceChildren.apply(card, parts);
    card.style.top = top + "px";
  }

  // an earlier concept of the tree: its class's colour, pale (the bands keep their colours, dark text reads)
  function tint(hex, k) {
    var m = /^#([0-9a-f]{6})$/i.exec(hex || "");
    if (!m) return "#f1f3f5";
    var n = parseInt(m[1], 16), mix = function (c) { return Math.round(c + (255 - c) * (k || 0.72)); };
    return "rgb(" + mix(n >> 16) + "," + mix((n >> 8) & 255) + "," + mix(n & 255) + ")";
  }

  // the overview in the corner of a component's step: the bands, a box a component, this one dark
  var minimap = null;
  function drawMinimap(comp, W, H) {
    if (!minimap) {
      minimap = el("canvas", null, "tour-minimap");
      minimap.setAttribute("aria-hidden", "true");
      container.style.position = "relative";
      container.appendChild(minimap);
    }
    minimap.hidden = !comp;
    if (!comp) return;
    var ratio = window.devicePixelRatio || 1, w = MINIMAP.w, h = MINIMAP.h;
    minimap.width = w * ratio; minimap.height = h * ratio;
    minimap.style.width = w + "px"; minimap.style.height = h + "px";
    var ctx = minimap.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, w, h);
    var bh = (h - 4) / bands.length, glyphW = 24;
    bands.slice().reverse().forEach(function (b, r) {
      var y = 2 + r * bh, st = classStyle((nodes.get(b.components[0]) || {}).cls);
      ctx.fillStyle = st.bg; ctx.fillRect(0, y, w, bh - 2);
      var glyph = (nameOf(b.layer).split(/[：:]/)[0] || "").slice(0, lang === "en" ? 2 : 1);
      ctx.fillStyle = "#0d1117"; ctx.font = "700 16px " + FONT; ctx.textBaseline = "middle";
      ctx.fillText(glyph, 4, y + bh / 2);
      var k = b.components.length, cell = (w - glyphW - 4) / k;
      b.components.forEach(function (c, i) {
        var on = c === comp;
        ctx.fillStyle = on ? "#0d1117" : "#ffffff";
        ctx.strokeStyle = on ? "#0d1117" : st.border;
        ctx.lineWidth = on ? 2 : 1;
        ctx.fillRect(glyphW + i * cell + 2, y + 4, cell - 4, bh - 10);
        ctx.strokeRect(glyphW + i * cell + 2, y + 4, cell - 4, bh - 10);
      });
    });
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
  var offstage = [];  // what the step is about that the frame leaves out (named beside the drawing)
  var skeletonIds = new Set();  // what the steps are about: the overview (O) of a tour without bands
  steps.forEach(function (s) { (s.subject || []).forEach(function (id) { skeletonIds.add(id); }); });
  function renderOffstage() {
    if (!newEl) return;
    Array.prototype.slice.call(newEl.querySelectorAll(".off")).forEach(function (n) { n.remove(); });
    var fresh = new Set(steps[current]["new"] || []);
    var missing = offstage.filter(function (id) { return !fresh.has(id); });
    if (!missing.length) return;
    newEl.append(el("strong", " " + t("tour.offstage") + ":", "off"));
    missing.forEach(function (id) { newEl.append(" ", el("span", nameOf(id), "chip off")); });
  }
  function camera(animate) {
    if (!network) return;
    var step = steps[current];
    var W = container.clientWidth || 1, H = container.clientHeight || 1;
    fittedTo = W + "x" + H;
    if (packed) {  // an overview step packed into a grid at scale 1
      framed = Object.keys(packed.pos);
      offstage = [];
      network.moveTo({ position: { x: 0, y: 0 }, scale: 1, animation: false });
      renderOffstage();
      return;
    }
    if (bands) {  // the tree's scenes are laid out for this canvas at scale 1: the camera never moves
      framed = Array.from(sceneIds || []);
      // an overview taller than the canvas (long English labels): the camera keeps the step's band in view
      var cy = 0, o = treeScene === "overview" ? overviewPlaces(W, H) : null;
      if (o && !o.fits) {
        var at = overview ? bands.length - 1 : o.band[(step.subject || [])[0]];
        if (at !== undefined && o.frames[at].top < -H / 2 + 8) cy = o.frames[at].top + H / 2 - 8;
      }
      network.moveTo({ position: { x: 0, y: cy }, scale: 1,
                       animation: animate && cy !== lastCy ? { duration: 450, easingFunction: "easeInOutQuad" } : false });
      lastCy = cy;
      // what the scene holds that the canvas cannot (an English overview): named beside the drawing
      var out = new Set(framed.filter(function (id) {
        var p = treeTarget[id], b = network.getBoundingBox(id);
        if (!p || !b) return false;
        var w = b.right - b.left, h = b.bottom - b.top;
        var edge = 4;  // a box that touches the canvas's edge is cut: it is named beside the drawing instead
        return p.y - h / 2 - cy < -H / 2 + edge || p.y + h / 2 - cy > H / 2 - edge ||
               p.x - w / 2 < -W / 2 + edge || p.x + w / 2 > W / 2 - edge;
      }));
      framed = framed.filter(function (id) { return !out.has(id); });
      offstage = (step.subject || []).filter(function (id) { return out.has(id); });
      renderOffstage();
      return;
    }
    // the overview: the tour's skeleton (what its steps are about); a step: what it shows so far
    var ids = overview ? Array.from(skeletonIds) : Array.from(shownAt[current]);
    var all = box(ids);
    if (!all) return;
    var scaleOf = function (b) { return Math.min((W - 2 * MARGIN) / b.w, (H - 2 * MARGIN) / b.h); };
    var target = all, scale = scaleOf(all);
    framed = ids;
    if (scale < MIN_SCALE) {
      // the whole step would be drawn too small to read from the back of the room: what the step is about
      // with what is new, else what it is about alone, at a readable scale; what is left out of the
      // frame is named beside the drawing
      var subject = (overview ? ids : (step.subject || [])).filter(function (id) { return shownAt[current].has(id) || overview; });
      var core = (overview ? ids : (step.focus || [])).filter(function (id) { return shownAt[current].has(id) || overview; });
      var wide = box(core), tight = box(subject.length ? subject : core);
      if (wide && scaleOf(wide) >= MIN_SCALE) { target = wide; scale = scaleOf(wide); framed = core; }
      else if (tight && wide && scaleOf(tight) >= MIN_SCALE) {
        // what the step is about fits: as much as can be of what is new around it, at the least scale
        scale = MIN_SCALE; framed = subject;
        var halfW = (W / 2 - MARGIN) / scale, halfH = (H / 2 - MARGIN) / scale;
        var clampTo = function (v, lo, hi) { return lo > hi ? (lo + hi) / 2 : Math.max(lo, Math.min(hi, v)); };
        target = { cx: clampTo(wide.cx, tight.cx + tight.w / 2 - halfW, tight.cx - tight.w / 2 + halfW),
                   cy: clampTo(wide.cy, tight.cy + tight.h / 2 - halfH, tight.cy - tight.h / 2 + halfH),
                   w: tight.w, h: tight.h };
      }
      else if (tight) {
        target = tight; framed = subject; scale = Math.max(MIN_SCALE, scaleOf(tight));
        // too big even so: its beginning (top left) in view, in reading order
        if (tight.w * scale > W - 2 * MARGIN) target = Object.assign({}, target, { cx: tight.cx - tight.w / 2 + (W / 2 - MARGIN) / scale });
        if (tight.h * scale > H - 2 * MARGIN) target = Object.assign({}, target, { cy: tight.cy - tight.h / 2 + (H / 2 - MARGIN) / scale });
      }
    }
    scale = Math.max(Math.min(scale, MAX_ZOOM), MIN_SCALE);
    network.moveTo({ position: { x: target.cx, y: target.cy }, scale: scale,
                     animation: animate ? { duration: 450, easingFunction: "easeInOutQuad" } : false });
    // what the frame would cut at the canvas's edge is left out of the drawing; the subject's nodes among
    // them are named beside it
    var cut = function (id) {
      var b = box([id]);
      if (!b) return false;
      var x0 = (b.cx - b.w / 2 - target.cx) * scale + W / 2, x1 = (b.cx + b.w / 2 - target.cx) * scale + W / 2;
      var y0 = (b.cy - b.h / 2 - target.cy) * scale + H / 2, y1 = (b.cy + b.h / 2 - target.cy) * scale + H / 2;
      return x0 < 1 || y0 < 1 || x1 > W - 1 || y1 > H - 1;
    };
    var shown = overview ? Array.from(skeletonIds) : Array.from(shownAt[current]);
    clipped = new Set(shown.filter(cut));
    if (clipped.size) { nodeView.refresh(); edgeView.refresh(); }
    framed = framed.filter(function (id) { return !clipped.has(id); });
    offstage = (overview ? [] : (step.subject || [])).filter(function (id) { return clipped.has(id); });
    renderOffstage();
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
    Object.keys(nav).forEach(function (key) {
      var a = nav[key];
      if (!a) return;
      var target = key === "first" ? 0 : key === "last" ? count - 1 : key === "prev" ? Math.max(0, current - 1) : Math.min(count - 1, current + 1);
      a.href = stepUrl(target);
      var disabled = (key === "prev" || key === "first") ? current === 0 : current === count - 1;
      if (disabled) a.setAttribute("aria-disabled", "true"); else a.removeAttribute("aria-disabled");
    });
  }
  // the step's new concepts are listed at the top of the side panel at full size (never shrunk)
  function fitChips() {}
  // the editors' English rendering of a quote, under the verbatim Chinese, marked as theirs (English page only)
  function rendering(text, className) {
    var p = el("p", text, className || "tq-en");
    p.lang = "en";
    p.append(" ", el("span", "(" + t("quote.editors_translation") + ")", "by"));
    return p;
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
      bq.append(p);
      if (lang === "en" && q.en) bq.append(rendering(q.en));
      bq.append(footer);
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
          if (lang === "en" && l.evidence.en) li.append(rendering(l.evidence.en, "why tq-en"));
        }
        ul.append(li);
      });
      parts.push(ul);
    });
    linksEl.replaceChildren.apply(linksEl, parts);
    linksEl.hidden = parts.length === 1;
  }
  function go(i, animate, quiet) {
    var next = clamp(i);
    var changed = next !== current;
    current = next;
    if (changed && !quiet) announce();
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
  // -- the presenter's window: opened by P or the button, kept in step both ways ---------------------------------
  var tellOthers = window.kgGraph.stepSync(data.tour.name, function (step) {
    if (step - 1 !== current) go(step - 1, true, true);
  });
  function announce() { tellOthers(current + 1); }
  function openPresenter() {
    var url = new URL(links.presenter || (links.page + "/presenter"), window.location.href);
    url.searchParams.set("step", String(current + 1));
    var own = new URL(window.location.href).searchParams.get("lang");
    if (own) url.searchParams.set("lang", own);
    window.open(url.pathname + url.search, "kg-presenter-" + data.tour.name);
  }
  // O: the tree's whole overview in its bands; another tour's outline (every step, this one marked) over
  // the drawing, in type the room reads, each step a button that goes there
  var outline = null, outlineOn = false;
  function showOutline(on) {
    outlineOn = on;
    setPressed("overview", on);
    if (!outline) {
      outline = el("nav", null, "tour-outline");
      outline.id = "tour-outline";
      outline.setAttribute("aria-label", t("tour.overview"));
      container.style.position = "relative";
      container.appendChild(outline);
    }
    outline.hidden = !on;
    if (!on) return;
    var list = el("ol");
    steps.forEach(function (s, i) {
      var li = el("li", null, s.kind === "part" || s.kind === "overview" ? "head" : null);
      var b = el("button", pick(s.title));
      b.type = "button";
      if (i === current) li.setAttribute("aria-current", "step");
      b.addEventListener("click", function () { showOutline(false); go(i); });
      li.append(b);
      list.append(li);
    });
    outline.replaceChildren(el("h2", pick(data.tour.title)), list);
    var here = list.children[current];
    if (here && here.scrollIntoView) here.scrollIntoView({ block: "nearest" });
  }
  function toggleOverview() {
    if (!bands) { showOutline(!outlineOn); return; }
    overview = !overview;
    setPressed("overview", overview);
    restyle(steps[current]);
    network.once("afterDrawing", function () { camera(true); });
    network.redraw();
  }
  function backToList() {
    if (links.list) window.location.href = links.list;
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-action]");
    if (button) {
      var action = button.getAttribute("data-action");
      if (action === "presenter") { event.preventDefault(); openPresenter(); }
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

  // the stepping keys are the presenter's window's too (kgGraph.stepKeys); this window's own: F, P, O, Esc
  function escape() {
    if (outlineOn) showOutline(false);
    else if (overview) toggleOverview();
    else if (isFullscreen()) toggleFullscreen();
    // outside full screen Esc stays in the tour (the list is a link away)
  }
  document.addEventListener("keydown", common.stepKeys(go, function () { return current; }, count, {
    f: toggleFullscreen, F: toggleFullscreen, p: openPresenter, P: openPresenter,
    o: toggleOverview, O: toggleOverview, Escape: escape, Esc: escape }));
  // a phone or tablet: a swipe to the left goes on, to the right goes back (a mostly sideways move of at
  // least 60 px); on a narrow screen the drawing does not pan under the finger, so the swipe is the tour's
  var touchStart = null;
  var stage = document.querySelector(".tour-main") || root;
  stage.addEventListener("touchstart", function (event) {
    touchStart = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
  }, { passive: true, capture: true });
  stage.addEventListener("touchend", function (event) {
    if (!touchStart || !event.changedTouches.length) return;
    var dx = event.changedTouches[0].clientX - touchStart.x, dy = event.changedTouches[0].clientY - touchStart.y;
    touchStart = null;
    if (Math.abs(dx) >= 60 && Math.abs(dx) > 1.5 * Math.abs(dy)) go(current + (dx < 0 ? 1 : -1));
  }, { passive: true, capture: true });
  if (network && window.matchMedia && window.matchMedia("(max-width: 900px)").matches) {
    network.setOptions({ interaction: { dragView: false, zoomView: false } });
  }

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
  // on a phone the tree's overview is not cut at the canvas's edge: where even its least type (12 px) does
  // not fit the canvas the stylesheet gives, the canvas grows to the overview's height and the page scrolls
  // (a phone scrolls to the quotes below anyway; shrinking the labels further would make them unreadable)
  function phoneFit() {
    if (!bands || !PHONE || !container) return;
    container.style.height = "";
    var o = overviewPlaces(container.clientWidth, container.clientHeight);
    if (!o.fits) container.style.height = Math.ceil(o.total + 2 * o.M + (container.offsetHeight - container.clientHeight) + 2) + "px";
  }
  phoneFit();
  window.addEventListener("resize", function () { fitPage(); fitChips(); phoneFit(); });
  var refit = 0;
  function refitSoon() {
    if (refit) window.cancelAnimationFrame(refit);
    refit = window.requestAnimationFrame(function () {
      refit = 0;
      if (!network || fittedTo === container.clientWidth + "x" + container.clientHeight) return;
      network.redraw();  // vis-network takes the canvas's new size
      if (bands) restyle(steps[current]);  // the tree's scenes are laid out for the canvas's size
      camera(false);
    });
  }
  if (typeof ResizeObserver !== "undefined" && container) new ResizeObserver(refitSoon).observe(container);
  else window.addEventListener("resize", refitSoon);

  go(current, false);
  window.kgTour = { go: go, get step() { return current + 1; }, count: count, network: network,
                    get framed() { return framed.slice(); },
                    get subject() { return (steps[current].subject || []).slice(); },
                    get offstage() { return offstage.slice(); },
                    get moving() { return !!tween; },
                    places: function () { return bands ? overviewPlaces(container.clientWidth, container.clientHeight) : null; } };
})();
