"""Placeholder until the graph views are written (same session)."""


class ConceptGraph:
    def __init__(self, catalog):
        self.catalog = catalog
