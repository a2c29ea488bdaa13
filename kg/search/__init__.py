"""Search over the catalog: labels, pinyin, alternative labels, definitions and quotes.

The package's modules, from the ground up (import from them, not from the package):

- :mod:`kg.search.folding`: text folding, the keys that labels, definitions and queries are compared by
- :mod:`kg.search.synonyms`: the words a trainer may type for the graph's words (countermeasure → remedy)
- :mod:`kg.search.pinyin`: the pinyin of Chinese labels, and whether a query can be pinyin
- :mod:`kg.search.hits`: :class:`SearchHit`, the tiers, ranking, snippets and highlight spans
- :mod:`kg.search.haystack`: one kind of searchable string of every concept, and the walks over it
- :mod:`kg.search.index`: :class:`SearchIndex` (search, suggest, nearest, facets), :class:`QueryError`
  and the limits ``MAX_QUERY`` and ``MAX_LIMIT``
"""
