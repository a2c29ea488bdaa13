"""Graph views, run on demand (`make bench`): print the figures, assert nothing.

build        ConceptGraph(catalog): the undirected networkx graph of the concepts (once at load)
views        tree, chain, cross, whole, neighbourhood depth 1..3 (GraphView only)
payload      a view with its vis-network data and side-panel details (what /graph/{view}.json returns)
paths        the k shortest simple paths between a few pairs
"""

from __future__ import annotations

from timing import line  # shared helpers (bench/timing.py)


def main() -> None:
    from kg.catalog import Catalog
    from kg.graph.concept_graph import ConceptGraph
    from kg.graph.vis_network import island_json, payload
    from kg.store.factory import open_store

    catalog = Catalog.from_store(open_store())
    graph = ConceptGraph(catalog)
    print(f"concept graph: {graph.undirected.number_of_nodes()} concepts, {len(graph.catalog.edges)} relations, "
          f"{graph.undirected.number_of_edges()} linked pairs")
    line("build ConceptGraph", lambda: ConceptGraph(catalog), 10)
    for name in ("tree", "chain", "cross", "whole"):
        view = graph.view(name)
        line(f"view {name}", lambda name=name: graph.view(name),
             extra=f"   {len(view.nodes)} nodes, {len(view.edges)} edges")
    for depth in (1, 2, 3):
        view = graph.neighbourhood("mechanism-team-learning", depth)
        line(f"neighbourhood depth {depth}", lambda depth=depth: graph.neighbourhood("mechanism-team-learning", depth),
             extra=f"   {len(view.nodes)} nodes")
    line("view tree, class=ModelComponent", lambda: graph.tree(classes=["ModelComponent"]))
    for name in ("tree", "whole"):
        view = graph.view(name)
        size = len(island_json(payload(view, catalog)).encode())
        line(f"payload {name} (pyvis + details)", lambda view=view: payload(view, catalog), 10,
             extra=f"   island {size / 1024:.0f} KiB")
    pairs = [("mechanism-team-learning", "remedy-step-by-step", None),
             ("idea-learning-creates-happiness", "problem-no-evaluation", None),
             ("vision-zhonglou", "significance-cadre-quality", None),
             ("mechanism-team-learning", "remedy-step-by-step", ["partOf", "exemplifies"])]
    for a, b, rels in pairs:
        result = graph.paths(a, b, k=3, max_length=6, relations=rels)
        label = f"paths {a[:14]}→{b[:14]}" + (" (rel)" if rels else "")
        line(label, lambda a=a, b=b, rels=rels: graph.paths(a, b, k=3, max_length=6, relations=rels),
             extra=f"   {len(result.paths)} paths, lengths {[p.length for p in result.paths]}")
    result = graph.paths("mechanism-team-learning", "remedy-step-by-step", k=10, max_length=10)
    line("paths k=10 max_length=10", lambda: graph.paths("mechanism-team-learning", "remedy-step-by-step",
                                                            k=10, max_length=10), 10,
         extra=f"   {len(result.paths)} paths")


if __name__ == "__main__":
    main()
