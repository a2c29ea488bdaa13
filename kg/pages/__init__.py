"""The data behind each page, one function per resource, built here and rendered as HTML or JSON by ``api/``.

Each ``*_page`` function returns a plain dict (JSON-ready: strings, numbers, lists) that the HTML template and
the JSON response share, so the two never drift. ``site`` holds the catalog's pages (home, browse, class,
scheme, article, index, concept).
"""
