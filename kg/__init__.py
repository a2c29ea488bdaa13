"""Knowledge graph of the "learning-oriented government organ" (学习型机关) model.

The core library: namespaces, sources, loading, store, validation, statistics, pages, exports.
It knows nothing of HTTP and imports nothing from ``api/``; the command line (``api/cli.py``) is the
shell above both.
"""

__version__ = "0.1.0"
