"""Helpers of the tour browser tests: waiting for a tour to draw, its progress, and scripts that read the drawing."""

from __future__ import annotations

import re

PROJECTOR = {"width": 1024, "height": 768}


SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"

#: every node of the step on the canvas: its drawn box (vis-network's getBoundingBox, in canvas units)
#: turned into pixels of the canvas element by canvasToDOM; the canvas's size; the pairs of boxes that meet
NODE_BOXES = """() => {
    const net = window.kgTour.network, c = document.getElementById('tour-canvas');
    const framed = new Set(window.kgTour.framed);
    const boxes = net.body.nodeIndices.map(id => {
        const b = net.getBoundingBox(id);
        const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
        return {id, framed: framed.has(id), left: a.x, top: a.y, right: z.x, bottom: z.y}; });
    const overlaps = [];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push([a.id, b.id]);
    }));
    return {width: c.clientWidth, height: c.clientHeight, boxes, overlaps}; }"""


DRAWN_LABELS = """() => {
    const net = window.kgTour.network, c = document.getElementById('tour-canvas');
    const W = c.clientWidth, H = c.clientHeight, scale = net.getScale();
    const subject = new Set(window.kgTour.subject);
    const out = [];
    const place = (b) => {
        const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
        return {on: a.x < W && z.x > 0 && a.y < H && z.y > 0, inside: a.x >= 0 && a.y >= 0 && z.x <= W && z.y <= H,
                left: a.x, top: a.y, right: z.x, bottom: z.y};
    };
    for (const id of net.body.nodeIndices) {
        const node = net.body.nodes[id], label = node.options.label;
        if (!label || !String(label).trim()) continue;
        out.push({kind: 'node', id, px: node.labelModule.fontOptions.size * scale, subject: subject.has(id),
                  ...place(net.getBoundingBox(id))});
    }
    for (const id of net.body.edgeIndices) {
        const edge = net.body.edges[id], label = edge.options.label;
        if (!label || !String(label).trim() || !edge.labelModule.size) continue;
        const s = edge.labelModule.size;
        out.push({kind: 'edge', id, px: edge.labelModule.fontOptions.size * scale, subject: false,
                  ...place({left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height})});
    }
    return {labels: out, offstage: window.kgTour.offstage, scale, width: W, height: H}; }"""


#: how many pixels of the tour's canvas are drawn
INK = """() => {
    const c = document.querySelector('#tour-canvas canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n; }"""


def wait_for_tour(page) -> None:
    """Until tour-1.js has started and drawn the step on its canvas."""
    page.wait_for_function("() => window.kgTour && document.querySelector('#tour-canvas canvas')")
    page.wait_for_function(f"() => ({INK})() > 5000")


def progress(page) -> tuple[int, int]:
    """The "n / N" the page shows, and the step tour-1.js is on (they must agree)."""
    shown = re.search(r"(\d+) / (\d+)", page.locator("#tour-count").inner_text())
    number, count = int(shown.group(1)), int(shown.group(2))
    assert page.evaluate("() => window.kgTour.step") == number
    assert page.get_attribute("#tour-bar", "aria-valuenow") == str(number)
    return number, count
