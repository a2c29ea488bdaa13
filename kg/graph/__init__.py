"""The concept graph: what a view holds, how it is built, where its nodes go and how vis-network draws it.

* :mod:`kg.graph.model`: the data classes (``GraphNode``, ``GraphEdge``, ``GraphView``, ``PathStep``,
  ``GraphPath``, ``PathResult``) and the errors (``GraphError``, ``UnknownConcept``, ``UnknownView``,
  ``AmbiguousConcept``);
* :mod:`kg.graph.concept_graph`: ``ConceptGraph``, the networkx graph of the concepts, its views
  (tree, chain, cross, neighbourhood, whole) and the shortest paths between two concepts;
* :mod:`kg.graph.layouts`: where the nodes of the tree, the chain, the cross view and the paths go;
* :mod:`kg.graph.vis_network`: the vis-network payload of a view (through pyvis) and its JSON island text.

Class styles, relation colours, the font, label modes and view names are :mod:`kg.styles`'; the views'
titles and descriptions are the UI catalogue's (``web/i18n/ui.yaml``, ``graph.view.*``).
"""
