"""Exports of the graph views and the tours: pictures for slides, handouts and print, and offline pages.

``options``     what can be asked for: :class:`~kg.export.options.ExportOptions`, formats, page presets,
                themes, :class:`~kg.export.options.ExportError`
``fonts``       the named CJK font: is it installed, does it cover every character
``dot``         a graph view as a Graphviz graph (labels, ranks, chain cards, the legend)
``page``        a drawing on its page: SVG, PDF and PNG centred on a preset's page; a PNG's resolution
``image``       a view rendered to SVG, PNG or PDF by Graphviz
``standalone``  a view as one interactive HTML file that works offline (its own template environment)
``levels``      the levels of detail (overview, detail, full) and what a page of each holds (a board)
``board``       a board laid out on its page at the largest legible size, drawn by Graphviz at pinned places
``legibility``  how large a drawing's text comes out on its page, read from the SVG; the refusal with advice
``deck``        PowerPoint decks: a tour, one slide per step, or a view and its parts (native shapes)
``serving``     recent exports answered from memory (the server gates the drawing: api.admission)
``handout``     a tour as a PDF handout, one page per step
``files``       an export as a file: which view a request names, its bytes in any format, its file name
"""
