"""Knowledge graph of the "learning-oriented government organ" (学习型机关) model.

The core library: namespaces, sources, loading, store, validation, statistics
and the command line.  It knows nothing of HTTP.
"""

__version__ = "0.1.0"
