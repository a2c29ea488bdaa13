// The interactive graph (vis-network 9.1.2, vendored).  Reads the JSON island #graph-data with
// JSON.parse; every piece of text it puts on the page goes through textContent, never innerHTML.
// Tooltips are plain strings (vis-network shows them with innerText); labels are drawn on a canvas.
// The words it writes come from the JSON island #ui-text (the UI catalogue, in the page's language).
// The font, the element builder, the text formatter and the labels are graphcommon-1.js's (kgGraph).
//
// The view's state lives in the URL (history.replaceState), so a reload or a shared link restores it:
//   labels=zh|en|both, selected=ID (the node whose panel is open), hide_class=C and hide_relation=R
//   (repeatable: filters switched off on the page); view, concept and depth are the server's own.
// Keyboard: Tab to the graph, arrow keys move the selection to the nearest node in that direction,
// Enter (or space) opens its panel, Escape closes it, + / - zoom, 0 fits the view.
(function () {
  "use strict";
  var island = document.getElementById("graph-data");
  var container = document.getElementById("graph-canvas");
  if (!island || !container || typeof vis === "undefined" || !window.kgGraph) return;
  var common = window.kgGraph;
  var data = JSON.parse(island.textContent);
  var texts = JSON.parse((document.getElementById("ui-text") || {}).textContent || "{}");
  var embed = document.body.classList.contains("graph-embed");
  var layout = data.layout || {};
  var links = data.links || {};
  var labelMode = data.labels || "zh";
  var details = {};          // concept id -> node details (labels, class, definition, quote, url)
  var legend = {};           // class -> legend item (colours, labels)
  var relationInfo = {};     // relation -> {label, color}
  var params = new URLSearchParams(window.location.search);
  var hiddenClasses = new Set(embed ? [] : params.getAll("hide_class"));
  var hiddenRelations = new Set(embed ? [] : params.getAll("hide_relation"));
  var wantSelected = embed ? null : params.get("selected");
  var BAND_LABEL_ROOM = 300;  // canvas units left of the tree for the band labels
  var bandLabels = [];  // where the last drawing put each band's label (canvas units; its size in screen px)
  var PHONE_READABLE = 0.9;  // a phone opens a big view at this zoom (labels of 14 units: about 12.6 px)
  var READABLE = 0.55;        // a tall view too small to read opens at this zoom (labels of 14 units: 7.7 px)
  var FONT = common.FONT;

  function remember(payload) {
    (payload.nodes || []).forEach(function (n) { details[n.id] = n; });
    (payload.legend || []).forEach(function (item) { if (!legend[item["class"]]) legend[item["class"]] = item; });
    (payload.relations || []).forEach(function (r) { if (!relationInfo[r.relation]) relationInfo[r.relation] = r; });
  }
  remember(data);

  var el = common.el;
  function en(text) { var s = el("span", text); s.lang = "en"; return s; }
  function zh(text) { var s = el("span", text); s.lang = "zh-CN"; return s; }
  // the page's language (the <html lang>): a pair of labels shows it first, the other after it, smaller
  var PAGE_EN = document.documentElement.lang === "en";
  function pair(zhText, enText) {
    var first = PAGE_EN ? en(enText || zhText) : zh(zhText), second = PAGE_EN ? zh(zhText) : en(enText || "");
    second.className = "other";
    var f = document.createDocumentFragment();
    f.append(first);
    if (second.textContent && second.textContent !== first.textContent) f.append(" ", second);
    return f;
  }
  // a text of the UI catalogue, its {name} values filled in (a count's form picked by n)
  function t(key, values) { return common.format(texts, key, values); }
  function articleName(key) {
    return { yanbian: t("article.yanbian"), zhonglou: t("article.zhonglou") }[key] || key;
  }

  // the Chinese label in lines as wide as the node
  var nodeDefaults = (data.vis.options || {}).nodes || {};
  function nodeLabel(n, mode) {
    var size = (n.font && n.font.size) || (nodeDefaults.font && nodeDefaults.font.size) || 14;
    var max = (n.widthConstraint && n.widthConstraint.maximum) ||
      (nodeDefaults.widthConstraint && nodeDefaults.widthConstraint.maximum) || 150;
    return common.nodeLabel(n, mode, max, size);
  }
  function edgeLabel(e, mode) { return layout.edgeLabels ? common.edgeLabel(e, mode) : undefined; }

  var nodes = new vis.DataSet(data.vis.nodes.map(function (n) { n.label = nodeLabel(n, labelMode); return n; }));
  var edges = new vis.DataSet(data.vis.edges.map(function (e) { e.label = edgeLabel(e, labelMode); return e; }));
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return !hiddenClasses.has(n.cls); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !hiddenRelations.has(e.relation); } });
  var options = data.vis.options || {};
  options.nodes = options.nodes || {};
  if (options.nodes.borderWidthSelected === undefined) options.nodes.borderWidthSelected = 3;
  // labels stay drawn when the whole of a big view is shown (vis-network drops those under 5 px)
  options.nodes.scaling = options.nodes.scaling || {};
  options.nodes.scaling.label = Object.assign({ drawThreshold: 3 }, options.nodes.scaling.label || {});
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  var physicsOn = !!(options.physics && options.physics.enabled);
  var selected = null;
  var urlLive = false;       // the URL follows the state once the first drawing is done

  // -- status, physics ---------------------------------------------------------------------------
  var statusEl = document.getElementById("graph-status");
  function updateStatus() {
    if (!statusEl) return;
    statusEl.textContent = t("graph.status.concepts", { n: nodeView.length }) + " · " +
      t("graph.status.links", { n: edgeView.length });
  }
  var physicsButton = document.querySelector('[data-action="physics"]');
  function setPhysics(on) {
    physicsOn = on;
    network.setOptions({ physics: { enabled: on } });
    if (physicsButton) physicsButton.setAttribute("aria-pressed", on ? "true" : "false");
  }
  // fit the nodes plus the room the band labels (left) and column headings (top) need
  function fitAll(animate, initial) {
    var ids = nodeView.getIds();
    if (!ids.length) return;
    var left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) return;
      left = Math.min(left, b.left); right = Math.max(right, b.right);
      top = Math.min(top, b.top); bottom = Math.max(bottom, b.bottom);
    });
    if (layout.bands) left -= BAND_LABEL_ROOM;
    if (layout.columns) top -= 110;
    var width = Math.max(1, right - left), height = Math.max(1, bottom - top);
    var scale = Math.min(container.clientWidth / width, container.clientHeight / height, 1.56) * 0.96;
    var centre = { x: (left + right) / 2, y: (top + bottom) / 2 };
    if (initial && container.clientWidth < 500 && scale < PHONE_READABLE * 0.6) {
      // a phone: the whole drawing would print its labels at a pixel or two; open readable at the top of the
      // drawing, the middle (swipe to move, "Fit" shows the whole of it)
      scale = PHONE_READABLE;
      centre.y = top + (container.clientHeight / 2 - 8) / scale;
    } else if (initial && height > width * 1.2 && scale < 0.4) {
      // a tall view (the cross view) opens readable at its top; "Fit" shows the whole of it
      scale = Math.min(READABLE, (container.clientWidth / width) * 0.96);
      centre.y = top + (container.clientHeight / 2 - 8) / scale;
    }
    network.moveTo({ position: centre, scale: scale, animation: animate ? { duration: 400 } : false });
  }
  // data-ready on the canvas box once the first layout is drawn and fitted (the browser tests wait for it)
  function ready() {
    urlLive = true;
    if (wantSelected && nodeView.get(wantSelected)) {
      network.selectNodes([wantSelected]);
      revealNode(wantSelected);
      showConcept(wantSelected, true);
    }
    wantSelected = null;
    container.setAttribute("data-ready", "");
  }
  if (physicsOn) {
    // let the force layout settle, then stop it (the button turns it back on)
    network.once("stabilizationIterationsDone", function () {
      setPhysics(false); fitAll(false, true); network.once("afterDrawing", ready);
    });
  } else {
    network.once("afterDrawing", function () { fitAll(false, true); network.once("afterDrawing", ready); });
  }

  // -- bands (tree) and column headings (chain, cross) drawn behind the graph --------------------
  var BAND_COLOURS = ["rgba(141,110,99,0.10)", "rgba(121,85,72,0.08)", "rgba(124,179,66,0.10)",
                      "rgba(244,143,177,0.12)", "rgba(255,179,0,0.12)"];
  // lines of text no wider than width: Chinese breaks after a colon or between characters, English between words
  function wrap(ctx, text, width, cjk) {
    text = text || "";
    var parts = cjk ? text.replace(/([:：])/g, "$1\n").split("\n") : [text];
    var lines = [];
    parts.forEach(function (part) {
      var units = cjk ? Array.from(part) : part.split(" ");
      var line = "";
      units.forEach(function (u) {
        var next = line ? line + (cjk ? "" : " ") + u : u;
        if (line && ctx.measureText(next).width > width) { lines.push(line); line = u; } else line = next;
      });
      if (line) lines.push(line);
    });
    return lines;
  }
  network.on("beforeDrawing", function (ctx) {
    var ids = nodeView.getIds();
    if (!ids.length) return;
    var boxes = {};
    var minX = Infinity, maxX = -Infinity, minY = Infinity;
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) return;
      boxes[id] = b;
      minX = Math.min(minX, b.left); maxX = Math.max(maxX, b.right); minY = Math.min(minY, b.top);
    });
    ctx.save();
    ctx.textBaseline = "top";
    if (layout.bands) {
      var byLevel = {};
      ids.forEach(function (id) {
        var n = nodes.get(id);
        if (n && n.level !== undefined && boxes[id]) (byLevel[n.level] = byLevel[n.level] || []).push(boxes[id]);
      });
      bandLabels = [];
      layout.bands.forEach(function (band, i) {
        var top = Infinity, bottom = -Infinity;
        band.levels.forEach(function (level) {
          (byLevel[level] || []).forEach(function (b) { top = Math.min(top, b.top); bottom = Math.max(bottom, b.bottom); });
        });
        if (top === Infinity) return;
        var left = minX - BAND_LABEL_ROOM + 10, right = maxX + 30;
        ctx.fillStyle = BAND_COLOURS[i % BAND_COLOURS.length];
        ctx.fillRect(left, top - 18, right - left, bottom - top + 36);
        // the labels keep a readable size on screen however far the view is zoomed out, but stay inside their
        // band (a phone's small zoom would otherwise print them over the next layer's): smaller, then the
        // second language left out, then clipped
        var zoom = Math.max(network.getScale(), 0.05);
        var bigSize = Math.max(22, 13 / zoom), smallSize = Math.max(14, 10 / zoom);
        var room = bottom - top + 30;
        // the page's language first and large, the other below it, smaller
        var firstText = PAGE_EN ? band.label.en : band.label.zh, secondText = PAGE_EN ? band.label.zh : band.label.en;
        function fitLabel(big, small) {
          ctx.font = "bold " + big + "px " + FONT;
          var first = wrap(ctx, firstText, BAND_LABEL_ROOM - 30, !PAGE_EN);
          ctx.font = small + "px " + FONT;
          var second = wrap(ctx, secondText, BAND_LABEL_ROOM - 30, PAGE_EN);
          return { big: big, small: small, first: first, second: second,
                   height: first.length * big * 1.2 + second.length * small * 1.25 };
        }
        var fit = fitLabel(bigSize, smallSize);
        for (var k = 0; k < 8 && fit.height > room; k++) fit = fitLabel(fit.big * 0.85, fit.small * 0.85);
        if (fit.height > room) { fit.second = []; fit.height = fit.first.length * fit.big * 1.2; }
        var y = top - 8;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top - 18, BAND_LABEL_ROOM, bottom - top + 36);
        ctx.clip();
        ctx.fillStyle = "#3d444d";
        ctx.font = "bold " + fit.big + "px " + FONT;
        fit.first.forEach(function (line) { ctx.fillText(line, left + 12, y, BAND_LABEL_ROOM - 30); y += fit.big * 1.2; });
        ctx.font = fit.small + "px " + FONT;
        fit.second.forEach(function (line) { ctx.fillText(line, left + 12, y, BAND_LABEL_ROOM - 30); y += fit.small * 1.25; });
        ctx.restore();
        bandLabels.push({ band: [top - 18, bottom + 18], text: [top - 8, top - 8 + fit.height], size: fit.big * zoom });
      });
    }
    if (layout.columns) {
      ctx.textAlign = "center";
      layout.columns.forEach(function (col) {
        ctx.fillStyle = "#1f2328";
        ctx.font = "bold 24px " + FONT;
        ctx.fillText(PAGE_EN ? col.label.en : col.label.zh, col.x, minY - 92);
        ctx.fillStyle = "#59636e";
        ctx.font = "16px " + FONT;
        ctx.fillText(PAGE_EN ? col.label.zh : col.label.en, col.x, minY - 58);
      });
    }
    ctx.restore();
  });

  // -- the side panel -----------------------------------------------------------------------------
  var panel = document.getElementById("graph-panel");
  var expandButtons = document.querySelectorAll('[data-action="expand"]');
  function conceptUrl(id) {
    var d = details[id];
    if (d && d.url) return d.url;
    return (links.concept || "/concepts/__ID__").replace("__ID__", encodeURIComponent(id));
  }
  function link(text, href) {
    var a = el("a", text);
    a.href = href;
    if (embed) a.target = "_top";
    return a;
  }
  function nameOf(id) {
    var d = details[id];
    if (!d) return id;
    return labelMode === "en" ? (d.label.en || d.label.zh) : d.label.zh;
  }
  function showConcept(id, force) {
    // re-rendering the same panel would swap the buttons under a pointer that is about to click them
    if (!force && panel && selected === id && !panel.hidden) return;
    selected = id;
    cursor = id;
    expandButtons.forEach(function (b) { b.disabled = false; });
    syncUrl();
    if (!panel) return;
    var d = details[id] || { label: { zh: id, en: "" } };
    var parts = [];
    var h = el("h2", PAGE_EN ? (d.label.en || d.label.zh) : d.label.zh);
    h.lang = PAGE_EN && d.label.en ? "en" : "zh-CN";
    parts.push(h);
    var otherLabel = PAGE_EN ? (d.label.en ? d.label.zh : "") : d.label.en;
    if (otherLabel) {
      var second = el("p", otherLabel, "en-label other"); second.lang = PAGE_EN ? "zh-CN" : "en"; parts.push(second);
    }
    var cls = d.class_label || {};
    var clsLine = el("p", "", "class-line");
    var swatch = el("span", "", "swatch");
    var item = legend[d["class"]];
    if (item) { swatch.style.background = item.color; swatch.style.borderColor = item.border; }
    var clsName = el("span");
    clsName.append(pair(cls.zh || d["class"] || "", cls.en || ""));
    clsLine.append(swatch, clsName);
    parts.push(clsLine);
    if (d.definition && (d.definition.zh || d.definition.en)) {
      parts.push(el("h3", t("graph.panel.definition")));
      var dz = d.definition.zh ? el("p", d.definition.zh, "definition") : null;
      var de = d.definition.en ? el("p", d.definition.en, "definition") : null;
      if (dz) dz.lang = "zh-CN";
      if (de) de.lang = "en";
      (PAGE_EN ? [de, dz] : [dz, de]).forEach(function (p) { if (p) parts.push(p); });
    }
    if (d.quote && d.quote.text) {
      parts.push(el("h3", t("graph.panel.quote")));
      var q = el("blockquote", "", "quote");
      var text = el("p", d.quote.text);  // as the article has it: the panel's style marks it as a quote
      text.lang = "zh-CN";
      q.append(text, el("footer", articleName(d.quote.article) + " · " + d.quote.paragraph));
      parts.push(q);
    }
    var actions = el("p", "", "actions");
    actions.append(link(t("graph.panel.concept_page"), conceptUrl(id)));
    if (links.neighbourhood) {
      actions.append(" ", link(t("graph.panel.neighbourhood"), links.neighbourhood + "?concept=" + encodeURIComponent(id) + "&depth=1"));
    }
    var expand = el("button", t("graph.panel.expand"));
    expand.type = "button";
    expand.addEventListener("click", function () { expandConcept(id); });
    actions.append(" ", expand);
    parts.push(actions);
    // its links in the view, readable from this concept
    var around = edgeView.get({ filter: function (e) { return e.from === id || e.to === id; } });
    if (around.length) {
      parts.push(el("h3", t("graph.panel.links", { n: around.length })));
      var ul = el("ul", "", "links");
      around.slice(0, 30).forEach(function (e) {
        var out = e.from === id;
        var other = out ? e.to : e.from;
        var li = el("li");
        var rel = labelMode === "en" ? e.label_en : e.label_zh;
        li.append(el("span", out ? "—" + rel + "→ " : "←" + rel + "— ", e.status === "inferred" ? "rel inferred" : "rel"));
        var b = el("button", nameOf(other), "linklike");
        b.type = "button";
        b.addEventListener("click", function () { focusNode(other); });
        li.append(b);
        ul.append(li);
      });
      parts.push(ul);
    }
    openPanel(parts);
  }
  function openPanel(parts) {
    var close = el("button", "×", "close");
    close.type = "button";
    close.setAttribute("aria-label", t("graph.panel.close"));
    close.addEventListener("click", closePanel);
    panel.replaceChildren.apply(panel, [close].concat(parts));
    panel.hidden = false;
    resizeStage(true);
  }
  // the open panel takes a strip beside the drawing (below it on a phone): the canvas shrinks, nothing is covered
  var stage = panel ? panel.closest(".graph-stage") : null;
  function resizeStage(open) {
    if (!stage || stage.classList.contains("panel-open") === open) return;
    stage.classList.toggle("panel-open", open);
    network.setSize("100%", container.clientHeight + "px");
    network.redraw();
  }
  function closePanel() {
    if (panel) panel.hidden = true;
    resizeStage(false);
    selected = null;
    network.unselectAll();
    syncUrl();
  }
  function showEdge(edgeId) {
    var e = edges.get(edgeId);
    if (!e || !panel) return;
    selected = null;
    syncUrl();
    var info = relationInfo[e.relation] || { label: { zh: e.relation, en: e.relation } };
    var title = el("h2", PAGE_EN ? info.label.en : info.label.zh);
    var enTitle = el("p", PAGE_EN ? info.label.zh : info.label.en, "en-label other");
    title.lang = PAGE_EN ? "en" : "zh-CN";
    enTitle.lang = PAGE_EN ? "zh-CN" : "en";
    var parts = [title, enTitle];
    var p = el("p");
    var a = el("button", nameOf(e.from), "linklike"); a.type = "button";
    a.addEventListener("click", function () { focusNode(e.from); });
    var b = el("button", nameOf(e.to), "linklike"); b.type = "button";
    b.addEventListener("click", function () { focusNode(e.to); });
    p.append(a, el("span", " —" + (PAGE_EN ? info.label.en : info.label.zh) + "→ "), b);
    parts.push(p, el("p", e.status === "inferred" ? t("graph.panel.inferred") : t("graph.panel.stated"), "badge " + e.status));
    openPanel(parts);
  }
  function focusNode(id) {
    if (!nodeView.get(id)) return;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 400 } });
    showConcept(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) showConcept(params.nodes[0]);
    else if (params.edges.length === 1) showEdge(params.edges[0]);
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) expandConcept(params.nodes[0]);
  });

  // -- expand: add a concept's neighbourhood --------------------------------------------------------
  function expandConcept(id) {
    if (!links.neighbourhood_json) return;
    var url = links.neighbourhood_json + "?concept=" + encodeURIComponent(id) + "&depth=1&labels=" + encodeURIComponent(labelMode);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (more) {
        var added = merge(id, more);
        // say what Expand added (the status line is aria-live) and bring the new concepts into view
        if (statusEl) {
          statusEl.textContent += " · " + (added.nodes.length
            ? t("graph.status.expanded", { n: added.nodes.length, links: added.edges, label: nameOf(id) })
            : t("graph.status.expanded_none", { label: nameOf(id) }));
        }
        if (added.nodes.length) {
          network.fit({ nodes: [id].concat(added.nodes), animation: { duration: 400 } });
        }
        if (more.page && more.page.next !== null) {
          showPage({ view: "neighbourhood", params: more.params, next: more.page.next, total: more.page.total,
                     limit: more.page.limit });
        }
      })
      .catch(function (err) { if (statusEl) statusEl.textContent = t("graph.status.expand_failed", { error: err.message }); });
  }
  // -- show more: the next page of a paged view (the whole graph of a large vocabulary, a hub's
  // neighbourhood); after an expand that did not fit one page, the expanded concept's next page
  var moreButton = document.querySelector('[data-action="more"]');
  var morePage = data.page ? { view: data.view, params: data.params, next: data.page.next, total: data.page.total,
                               limit: data.page.limit } : null;
  function pageUrl(state) {
    var url = new URL(links[state.view + "_json"], window.location.href);
    ["concept", "depth"].forEach(function (k) { if (state.params[k]) url.searchParams.set(k, state.params[k]); });
    (state.params.relation || []).forEach(function (r) { url.searchParams.append("relation", r); });
    (state.params["class"] || []).forEach(function (c) { url.searchParams.append("class", c); });
    url.searchParams.set("offset", state.next);
    url.searchParams.set("limit", state.limit);
    url.searchParams.set("labels", labelMode);
    return url.toString();
  }
  function showPage(state) {
    morePage = state;
    var shown = document.getElementById("graph-shown");
    if (shown && state) shown.textContent = t("graph.status.shown", { shown: state.next === null ? state.total : state.next, total: state.total });
    if (moreButton) moreButton.hidden = !state || state.next === null;
  }
  function loadMore() {
    if (!morePage || morePage.next === null || !links[morePage.view + "_json"]) return;
    var state = morePage;
    fetch(pageUrl(state), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (more) {
        merge(state.params.concept || null, more);
        showPage({ view: state.view, params: state.params, next: more.page ? more.page.next : null, total: state.total,
                   limit: state.limit });
      })
      .catch(function (err) { if (statusEl) statusEl.textContent = t("graph.status.more_failed", { error: err.message }); });
  }

  function merge(centre, more) {
    remember(more);
    var parent = centre ? nodes.get(centre) : null;
    var pos = (centre && network.getPositions([centre])[centre]) || { x: 0, y: 0 };
    var fresh = more.vis.nodes.filter(function (n) { return !nodes.get(n.id); });
    fresh.forEach(function (n, i) {
      n.label = nodeLabel(n, labelMode);
      if (layout.mode === "hierarchical") {
        n.level = (parent && parent.level !== undefined ? parent.level : 0) + 1;
      } else {
        delete n.level;
        var angle = (2 * Math.PI * i) / Math.max(1, fresh.length);
        n.x = pos.x + 220 * Math.cos(angle);
        n.y = pos.y + 160 * Math.sin(angle);
      }
      n.borderWidth = 1;
    });
    nodes.add(fresh);
    var newEdges = more.vis.edges.filter(function (e) { return !edges.get(e.id); });
    newEdges.forEach(function (e) { e.label = edgeLabel(e, labelMode); });
    edges.add(newEdges);
    refreshFilters();
    refreshFind();
    updateStatus();
    if (centre && panel && !panel.hidden) showConcept(centre, true);
    return { nodes: fresh.map(function (n) { return n.id; }), edges: newEdges.length };
  }

  // -- filters, labels, find, fit -------------------------------------------------------------------
  function checkboxItem(name, value, labelZh, labelEn, count, colour, border, line) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.name = name; box.value = value; box.checked = true;
    var mark = el("span", "", line ? "line" : "swatch");
    if (line) mark.style.borderColor = colour; else { mark.style.background = colour; mark.style.borderColor = border; }
    var name = el("span", "", "name");
    name.append(pair(labelZh, labelEn));
    label.append(box, " ", mark, " ", name, " ", el("span", String(count), "count"));
    li.append(label);
    return li;
  }
  function refreshFilters() {
    var classList = document.getElementById("graph-classes");
    var relationList = document.getElementById("graph-relations");
    var classCounts = {}, relCounts = {};
    nodes.forEach(function (n) { classCounts[n.cls] = (classCounts[n.cls] || 0) + 1; });
    edges.forEach(function (e) { relCounts[e.relation] = (relCounts[e.relation] || 0) + 1; });
    if (classList) {
      Object.keys(classCounts).forEach(function (cls) {
        var box = classList.querySelector('input[value="' + CSS.escape(cls) + '"]');
        if (!box) {
          var item = legend[cls] || { label: { zh: cls, en: cls }, color: "#eee", border: "#999" };
          classList.append(checkboxItem("class", cls, item.label.zh, item.label.en, classCounts[cls], item.color, item.border, false));
        } else {
          var count = box.parentNode.querySelector(".count");
          if (count) count.textContent = String(classCounts[cls]);
        }
      });
    }
    if (relationList) {
      Object.keys(relCounts).forEach(function (rel) {
        var box = relationList.querySelector('input[value="' + CSS.escape(rel) + '"]');
        if (!box) {
          var info = relationInfo[rel] || { label: { zh: rel, en: rel }, color: "#8c959f" };
          relationList.append(checkboxItem("relation", rel, info.label.zh, info.label.en, relCounts[rel], info.color, null, true));
        } else {
          var count = box.parentNode.querySelector(".count");
          if (count) count.textContent = String(relCounts[rel]);
        }
      });
    }
  }
  document.addEventListener("change", function (event) {
    var t = event.target;
    if (!(t instanceof HTMLInputElement)) return;
    if (t.name === "class" && t.closest("#graph-classes")) {
      if (t.checked) hiddenClasses.delete(t.value); else hiddenClasses.add(t.value);
      nodeView.refresh(); updateStatus(); syncUrl();
    } else if (t.name === "relation" && t.closest("#graph-relations")) {
      if (t.checked) hiddenRelations.delete(t.value); else hiddenRelations.add(t.value);
      edgeView.refresh(); updateStatus(); syncUrl();
    } else if (t.name === "labels" && t.type === "radio" && t.checked) {
      setLabels(t.value);
    }
  });
  function setLabels(mode) {
    labelMode = mode;
    nodes.update(nodes.get().map(function (n) { return { id: n.id, label: nodeLabel(n, mode) }; }));
    if (layout.edgeLabels) edges.update(edges.get().map(function (e) { return { id: e.id, label: edgeLabel(e, mode) }; }));
    syncUrl();
    if (selected && panel && !panel.hidden) showConcept(selected, true);
  }

  var findInput = document.getElementById("graph-find");
  var findList = document.getElementById("graph-find-list");
  function refreshFind() {
    if (!findList) return;
    var opts = nodes.get().map(function (n) {
      var o = el("option"); o.value = n.label_zh; o.label = n.label_en; return o;
    });
    findList.replaceChildren.apply(findList, opts);
  }
  var lastFind = "";
  function find(text) {
    var q = (text || "").trim().toLowerCase();
    if (!q || q === lastFind) return;
    lastFind = q;
    var all = nodeView.get();
    var hit = all.find(function (n) { return n.id === q || (n.label_zh || "").toLowerCase() === q || (n.label_en || "").toLowerCase() === q; })
      || all.find(function (n) { return (n.label_zh || "").toLowerCase().indexOf(q) >= 0 || (n.label_en || "").toLowerCase().indexOf(q) >= 0 || n.id.indexOf(q) >= 0; });
    if (hit) focusNode(hit.id);
    else if (statusEl) statusEl.textContent = t("graph.status.not_found", { text: text });
  }
  if (findInput) {
    findInput.addEventListener("change", function () { find(findInput.value); });
    findInput.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); lastFind = ""; find(findInput.value); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-action]");
    if (!button) return;
    var action = button.getAttribute("data-action");
    if (action === "fit") fitAll(true);
    else if (action === "physics") setPhysics(!physicsOn);
    else if (action === "expand" && selected) expandConcept(selected);
    else if (action === "more") loadMore();
  });

  // -- the URL holds the view's state ----------------------------------------------------------------
  function setAll(url, name, values) {
    url.searchParams.delete(name);
    values.forEach(function (v) { url.searchParams.append(name, v); });
  }
  function syncUrl() {
    if (embed || !urlLive || !window.history || !window.history.replaceState) return;
    var url = new URL(window.location.href);
    url.searchParams.set("labels", labelMode);
    if (selected) url.searchParams.set("selected", selected); else url.searchParams.delete("selected");
    setAll(url, "hide_class", Array.from(hiddenClasses));
    setAll(url, "hide_relation", Array.from(hiddenRelations));
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    // the links that reproduce this page follow: the language switch keeps the state, exports the labels
    var langSwitch = document.querySelector("a.lang-switch");
    if (langSwitch) {
      var other = new URL(langSwitch.href, window.location.href);
      var next = new URL(url.href);
      next.searchParams.set("lang", other.searchParams.get("lang") || "en");
      next.hash = "";
      langSwitch.href = next.pathname + next.search;
    }
    document.querySelectorAll(".export-menu a[data-format]").forEach(function (a) {
      var target = new URL(a.href, window.location.href);
      target.searchParams.set("labels", labelMode);
      setAll(target, "hide_class", Array.from(hiddenClasses));
      setAll(target, "hide_relation", Array.from(hiddenRelations));
      if (selected) target.searchParams.set("selected", selected); else target.searchParams.delete("selected");
      a.href = target.pathname + target.search;
    });
    var exportForm = document.querySelector(".export-menu form");
    if (exportForm) {  // the form follows the screen: its label language, what is hidden and selected
      exportForm.querySelectorAll('input[name="hide_class"], input[name="hide_relation"], input[name="selected"]').forEach(function (i) { i.remove(); });
      var keep = function (name, value) { var i = el("input"); i.type = "hidden"; i.name = name; i.value = value; exportForm.append(i); };
      var labelChoice = exportForm.querySelector('select[name="labels"]');
      if (labelChoice) labelChoice.value = labelMode;
      hiddenClasses.forEach(function (c) { keep("hide_class", c); });
      hiddenRelations.forEach(function (r) { keep("hide_relation", r); });
      if (selected) keep("selected", selected);
    }
  }
  // the page's controls show the state the URL asked for (and not what the browser remembered)
  document.querySelectorAll('#graph-classes input[name="class"]').forEach(function (box) {
    box.checked = !hiddenClasses.has(box.value);
  });
  document.querySelectorAll('#graph-relations input[name="relation"]').forEach(function (box) {
    box.checked = !hiddenRelations.has(box.value);
  });
  document.querySelectorAll('input[name="labels"][type="radio"]').forEach(function (radio) {
    radio.checked = radio.value === labelMode;
  });
  // a new depth is a new view: load it, keeping the rest of the state
  var depthSelect = document.getElementById("graph-depth");
  if (depthSelect) {
    depthSelect.addEventListener("change", function () {
      var url = new URL(window.location.href);
      url.searchParams.set("depth", depthSelect.value);
      window.location.assign(url.pathname + url.search);
    });
  }
  // "reload with this selection" sends only the filters that exclude something (all ticked = no filter),
  // and keeps the selected node
  var controls = document.querySelector("form.graph-controls");
  if (controls) {
    controls.addEventListener("submit", function () {
      var keep = controls.querySelector('input[name="selected"]');
      if (selected) {
        if (!keep) { keep = el("input"); keep.type = "hidden"; keep.name = "selected"; controls.append(keep); }
        keep.value = selected;
      } else if (keep) keep.remove();
      ["#graph-classes", "#graph-relations"].forEach(function (sel) {
        var boxes = Array.from(controls.querySelectorAll(sel + " input[type=checkbox]"));
        if (boxes.every(function (b) { return b.checked; })) boxes.forEach(function (b) { b.disabled = true; });
      });
      window.setTimeout(function () {
        controls.querySelectorAll("input[type=checkbox]:disabled").forEach(function (b) { b.disabled = false; });
      }, 0);
    });
  }

  // -- keyboard: arrows move the selection, Enter opens the panel -------------------------------------
  var cursor = null;  // the node the keyboard is on (selected, its panel not necessarily open)
  var keysHint = document.getElementById("graph-keys");
  container.tabIndex = 0;
  // one tab stop: vis-network's own frame is focusable too, take it out of the tab order
  container.querySelectorAll("[tabindex]").forEach(function (e) { if (e !== container) e.tabIndex = -1; });
  function graphFocused() { return container.contains(document.activeElement); }
  if (keysHint && keysHint.id) container.setAttribute("aria-describedby", keysHint.id);
  function announce(id) {
    if (!statusEl) return;
    var cls = (details[id] || {}).class_label || {};
    statusEl.textContent = t("graph.status.selected",
      { label: nameOf(id), cls: (labelMode === "en" ? cls.en || cls.zh : cls.zh) || "" });
  }
  function moveCursor(id, reveal) {
    cursor = id;
    network.selectNodes([id]);
    if (reveal) revealNode(id);
    announce(id);
    network.redraw();
  }
  // bring a node into the window if it is outside (or under the edge of) the canvas
  function revealNode(id) {
    var p = network.getPositions([id])[id];
    var dom = p && network.canvasToDOM(p);
    var w = container.clientWidth, h = container.clientHeight;
    if (!dom || dom.x < 40 || dom.y < 40 || dom.x > w - 40 || dom.y > h - 40) {
      network.focus(id, { scale: network.getScale(), animation: false });
    }
  }
  function startNode() {
    var ids = nodeView.getIds();
    if (!ids.length) return null;
    if (selected && nodeView.get(selected)) return selected;
    if (layout.centre && nodeView.get(layout.centre)) return layout.centre;
    // the node nearest the top-left corner of the drawing
    var pos = network.getPositions(ids);
    return ids.reduce(function (best, id) {
      var a = pos[id], b = pos[best];
      return (a.y + a.x * 0.5) < (b.y + b.x * 0.5) ? id : best;
    }, ids[0]);
  }
  function nearest(fromId, dx, dy) {
    var ids = nodeView.getIds();
    var pos = network.getPositions(ids);
    var from = pos[fromId];
    if (!from) return null;
    var best = null, bestScore = Infinity;
    ids.forEach(function (id) {
      if (id === fromId) return;
      var p = pos[id];
      var along = (p.x - from.x) * dx + (p.y - from.y) * dy;      // distance in the key's direction
      var across = Math.abs((p.x - from.x) * dy - (p.y - from.y) * dx);
      if (along <= 1) return;
      var score = along + across * 2;                               // prefer nodes straight ahead
      if (score < bestScore) { bestScore = score; best = id; }
    });
    return best;
  }
  var DIRECTIONS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  container.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (DIRECTIONS[key]) {
      event.preventDefault();
      var current = cursor && nodeView.get(cursor) ? cursor : null;
      if (!current) { var first = startNode(); if (first) moveCursor(first, true); return; }
      var next = nearest(current, DIRECTIONS[key][0], DIRECTIONS[key][1]);
      if (next) moveCursor(next, true);
    } else if (key === "Enter" || key === " ") {
      event.preventDefault();
      var id = cursor && nodeView.get(cursor) ? cursor : startNode();
      if (id) { moveCursor(id, true); showConcept(id, true); }
    } else if (key === "Escape") {
      if (panel && !panel.hidden) { event.preventDefault(); closePanel(); cursor = null; }
    } else if (key === "+" || key === "=") {
      event.preventDefault();
      network.moveTo({ scale: network.getScale() * 1.25 });
    } else if (key === "-" || key === "_") {
      event.preventDefault();
      network.moveTo({ scale: network.getScale() / 1.25 });
    } else if (key === "0") {
      event.preventDefault();
      fitAll(true);
    }
  });
  network.on("selectNode", function (params) { if (params.nodes.length) cursor = params.nodes[0]; });
  network.on("deselectNode", function () { cursor = null; });
  container.addEventListener("focusin", function () { network.redraw(); });
  container.addEventListener("focusout", function () { network.redraw(); });
  // the focus ring: a dashed frame around the keyboard's node while the graph has the focus
  network.on("afterDrawing", function (ctx) {
    if (!graphFocused() || !cursor || !nodeView.get(cursor)) return;
    var b = network.getBoundingBox(cursor);
    if (!b) return;
    var pad = 7 / Math.max(network.getScale(), 0.2);
    ctx.save();
    ctx.strokeStyle = "#0b5cad";
    ctx.lineWidth = 3 / Math.max(network.getScale(), 0.3);
    ctx.setLineDash([8 / Math.max(network.getScale(), 0.3), 5 / Math.max(network.getScale(), 0.3)]);
    ctx.strokeRect(b.left - pad, b.top - pad, b.right - b.left + 2 * pad, b.bottom - b.top + 2 * pad);
    ctx.restore();
  });

  // the text list below the graph opens when a link points at it
  function openList() {
    var list = document.getElementById("graph-list");
    if (list && window.location.hash === "#graph-list") list.open = true;
  }
  window.addEventListener("hashchange", openList);
  openList();

  // on a phone the settings fold away, so that the graph comes first (one tap opens them)
  var side = document.getElementById("graph-side");
  if (side && window.matchMedia && window.matchMedia("(max-width: 700px)").matches) side.open = false;

  // a neighbourhood page opens with its centre selected, its details on demand (Enter, a click, Expand)
  if (wantSelected && nodes.get(wantSelected)) { /* ready() opens the panel of the selected node */ }
  else if (layout.centre) { selected = layout.centre; expandButtons.forEach(function (b) { b.disabled = false; }); }
  updateStatus();
  window.kgGraph = { network: network, nodes: nodes, edges: edges, focus: focusNode, expand: expandConcept, setLabels: setLabels,
                    bandLabels: function () { return bandLabels; } };
})();
