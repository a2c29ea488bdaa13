"""Triple stores: :mod:`~kg.store.interface` (what every store offers: ``Store``, ``SparqlQuery``,
``StoreError``), one module per backend (:mod:`~kg.store.memory`, :mod:`~kg.store.oxigraph`,
:mod:`~kg.store.remote`) and :mod:`~kg.store.factory` (``connect``, ``open_store``, ``bundled_files``)."""
