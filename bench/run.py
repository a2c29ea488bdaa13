"""Benchmarks, run on demand (`make bench`): print the figures, assert nothing.

load       open the bundled ontology and data in the in-memory store
validate   SHACL over the bundled graph
build      regenerate the Turtle from the authoring YAML
"""

from __future__ import annotations

from timing import timed


def main() -> None:
    from kg import build
    from kg.store.factory import bundled_files, open_store
    from kg.validate import validate_files

    store = open_store()
    print(f"bundled graph: {len(store)} triples in {len(bundled_files())} files")
    for name, fn, repeat in (
        ("load", open_store, 5),
        ("build", build.build, 3),
        ("validate", lambda: validate_files(bundled_files()), 3),
    ):
        median, best = timed(fn, repeat)
        print(f"{name:<10} median {median * 1000:8.1f} ms   best {best * 1000:8.1f} ms   ({repeat} runs)")


if __name__ == "__main__":
    main()
