"""The ``kg`` command line: the shell above the core (``kg/``) and the web app (``api/``).

Every subcommand reads the core; ``kg serve`` starts the app.  A broken install (a bundled folder
missing) ends any subcommand with one line on stderr and exit 2, not a traceback.
"""

from __future__ import annotations

import json
import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rdflib import RDFS, Literal, URIRef
from typer.core import TyperGroup

from kg import build as build_mod
from kg import queries, resources, snapshot, sources
from kg.i18n import Message, t
from kg.rdfformats import BY_SUFFIX
from kg.rdfio import RDFSyntaxError
from kg.store.factory import bundled_files, connect, open_store
from kg.store.interface import StoreError, is_absolute_iri
from kg.styles import STANDARD_VIEWS


class Commands(TyperGroup):
    """The subcommands, each ended by a missing bundled file with one line on stderr and exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except resources.MissingResource as exc:
            typer.echo(f"kg: {exc}", err=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=Commands,
    help="Knowledge graph of the learning-oriented government organ (学习型机关) model.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class DumpFormat(str, Enum):
    turtle = "turtle"
    nt = "nt"
    json_ld = "json-ld"
    xml = "xml"


def _lang() -> str:
    """The command line's language for what it says to people: KG_LANG, else LANG (zh_CN.UTF-8: zh), else en."""
    lang = os.environ.get("KG_LANG") or os.environ.get("LANG", "")
    return "zh" if lang.lower().startswith("zh") else "en"


def _text(message: "str | Message") -> str:
    return message.text(_lang()) if isinstance(message, Message) else message


def _fail(message: "str | Message", code: int = 1) -> None:
    typer.echo(_text(message), err=True)
    raise typer.Exit(code)


def _say(code: str, err: bool = False, **values) -> None:
    """Tell the user ``problem.<code>`` (``cli.wrote``) in the command line's language (stderr with ``err``)."""
    typer.echo(Message(code, **values).text(_lang()), err=err)


def _syntax(exc: RDFSyntaxError) -> Message:
    """A file that does not parse: its file, line and column, the parser's own (English) text inside our sentence."""
    return Message("cli.syntax_error", path=exc.path, line=exc.line, column=exc.column, detail=exc.message)


def _rdf_files(paths: list[Path]) -> list[Path]:
    """Expand directories to the RDF files in them (shapes.ttl is the schema of checks, not data)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in BY_SUFFIX and p.name != "shapes.ttl")
        elif path.exists():
            files.append(path)
        else:
            _fail(Message("cli.no_file", path=path), 2)
    return files


StoreOption = Annotated[Optional[str], typer.Option(
    "--store", envvar="KG_STORE", show_default="memory",
    help="memory, oxigraph:DIR (on disk) or the URL of a SPARQL endpoint (…/query).")]


def _load(paths: list[Path] | None, store: str | None = None):
    """The store ``store`` names holding ``paths`` (default: the bundled files, when it is empty)."""
    try:
        opened = open_store(store, _rdf_files(paths) if paths else None)
        if paths:
            snapshot.discard(opened)  # the explorer's snapshot of the store no longer matches it
        return opened
    except RDFSyntaxError as exc:
        _fail(_syntax(exc))
    except StoreError as exc:
        _fail(Message("cli.store", detail=exc))


@app.command()
def build(
    check: Annotated[bool, typer.Option("--check", help="Only check the authoring files; write nothing.")] = False,
    authoring: Annotated[Optional[Path], typer.Option(help="Folder of the authoring YAML (default: data/authoring).")] = None,
    out: Annotated[Optional[Path], typer.Option(help="Folder to write sources.ttl and concepts.ttl to (default: data/).")] = None,
) -> None:
    """Generate data/*.ttl from the authoring YAML (quotes located, offsets computed)."""
    try:
        if check:
            src, data = build_mod.build(authoring)
            _say("cli.would_write", n=len(src) + len(data))
            return
        if out is None and authoring is None:
            sources.write_cleaned()
        for path in build_mod.write(out, authoring):
            _say("cli.wrote", path=path)
    except build_mod.BuildFailed as exc:
        for error in exc.errors:  # the file and line kept; the check's own text (kg.build) as it is
            _say("cli.build_error", err=True, where=f"{error.file}:{error.line}",
                 concept=f"{error.concept}: " if error.concept else "", detail=error.message)
        _fail(Message("cli.build_failed", n=len(exc.errors)))


@app.command()
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="RDF files or folders to check (default: ontology/ and data/).")] = None,
    shapes: Annotated[Optional[Path], typer.Option(help="SHACL shapes file (default: ontology/shapes.ttl).")] = None,
) -> None:
    """Check RDF syntax and the SHACL shapes; exit 0 only when clean."""
    from kg.validate import validate_files  # pyshacl is slow to import: only here

    files = _rdf_files(paths) if paths else bundled_files()
    if not files:
        _fail(Message("cli.nothing_to_validate"), 2)
    report = validate_files(files, shapes)
    for problem in report.problems:
        typer.echo(str(problem))
    if report.ok:
        _say("cli.valid", n=report.triples, files=len(files), shapes=shapes.name if shapes else "shapes.ttl")
    else:
        _fail(Message("cli.invalid", n=len(report.problems), files=len(files)))


@app.command()
def dump(
    fmt: Annotated[DumpFormat, typer.Option("--format", "-f", help="Serialization.")] = DumpFormat.turtle,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    paths: Annotated[Optional[list[Path]], typer.Argument(help="RDF files or folders (default: bundled).")] = None,
    store: StoreOption = None,
) -> None:
    """Write the whole graph, ontology and data, in one RDF format."""
    text = _load(paths, store).serialize(fmt.value)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        _say("cli.wrote", err=True, path=output)


def _label(store, iri: str, lang: str) -> str:
    for s, p, o in store.triples_of(URIRef(iri)):
        if p == RDFS.label and isinstance(o, Literal) and o.language == lang:
            return str(o)
    return ""


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    paths: Annotated[Optional[list[Path]], typer.Argument(help="RDF files or folders (default: bundled).")] = None,
    store_spec: StoreOption = None,
) -> None:
    """Counts by class and by relation, and the totals."""
    start = time.perf_counter()
    store = _load(paths, store_spec)
    load_s = time.perf_counter() - start
    classes = queries.count_by_class(store)
    relations = queries.count_by_relation(store)
    totals = queries.totals(store)
    totals["relations"] = sum(r.n for r in relations)
    totals["stated"] = sum(r.stated for r in relations)
    totals["inferred"] = sum(r.inferred for r in relations)
    totals["triples"] = len(store)
    if as_json:
        typer.echo(json.dumps({
            "totals": totals,
            "load_seconds": round(load_s, 3),
            "classes": [{"iri": c.iri, "zh": _label(store, c.iri, "zh"), "en": _label(store, c.iri, "en"),
                         "count": c.n} for c in classes],
            "relations": [{"iri": r.iri, "zh": _label(store, r.iri, "zh"), "en": _label(store, r.iri, "en"),
                           "count": r.n, "stated": r.stated, "inferred": r.inferred} for r in relations],
        }, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{totals['concepts']} concepts, {totals['relations']} relations "
               f"({totals['stated']} stated, {totals['inferred']} inferred), {totals['quotes']} quotes, "
               f"{totals['triples']} triples; loaded in {load_s:.2f} s")
    typer.echo("\nBy class")
    for c in classes:
        typer.echo(f"  {c.n:5d}  {_short(c.iri):<22} {_label(store, c.iri, 'zh')}")
    typer.echo("\nBy relation                         stated inferred")
    for r in relations:
        typer.echo(f"  {r.n:5d}  {_short(r.iri):<14} {_label(store, r.iri, 'zh'):<12} {r.stated:6d} {r.inferred:6d}")


class ExportFormat(str, Enum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    pptx = "pptx"
    html = "html"


@app.command("export")
def export_cmd(
    view: Annotated[Optional[str], typer.Argument(
        help="tree, chain, cross, whole, neighbourhood or paths.")] = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = ExportFormat.svg,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write.")] = None,
    all_dir: Annotated[Optional[Path], typer.Option("--all", help="Write every standard view in every format here.")] = None,
    tour: Annotated[Optional[str], typer.Option(
        help="A tour as a PowerPoint deck (-f pptx): tree, chain, problem-to-practice or senge.")] = None,
    booklet: Annotated[bool, typer.Option(
        "--booklet", help="The handout booklet as an A4 PDF (-f pdf; --labels en for English).")] = False,
    concept: Annotated[Optional[str], typer.Option(
        help="neighbourhood: the concept id; tree and chain: the layer, component or item of --level detail.")] = None,
    depth: Annotated[int, typer.Option(min=1, max=3, help="neighbourhood: 1-3 hops.")] = 1,
    source: Annotated[Optional[str], typer.Option("--from", help="paths: from this concept.")] = None,
    target: Annotated[Optional[str], typer.Option("--to", help="paths: to this concept.")] = None,
    relation: Annotated[Optional[list[str]], typer.Option(help="Only these relations (repeatable).")] = None,
    cls: Annotated[Optional[list[str]], typer.Option("--class", help="Only these classes (repeatable).")] = None,
    hide_class: Annotated[Optional[list[str]], typer.Option(help="Leave out this class (repeatable).")] = None,
    hide_relation: Annotated[Optional[list[str]], typer.Option(help="Leave out this relation (repeatable).")] = None,
    level: Annotated[str, typer.Option(
        help="auto, overview (the tree's 5 layers and 15 components; the chain's 12 items), detail (--concept: "
             "one layer or component, or one chain item, with its parts) or full (every node).")] = "auto",
    preset: Annotated[str, typer.Option(
        help="none (the drawing's own size); slide (a 16:9 page), a4 (an A4 page turned to fit), a4-portrait, "
             "a4-landscape, a3 or a2 (posters): the page itself. A drawing too small to read on the page "
             "(slide: 20 px labels, paper: 8 pt) is refused with the level or page that works.")] = "none",
    theme: Annotated[str, typer.Option(help="light, or print (reads in black and white).")] = "light",
    labels: Annotated[str, typer.Option(help="zh, en or both.")] = "zh",
    title: Annotated[Optional[str], typer.Option(help="Your own title (default: the view's).")] = None,
    no_title: Annotated[bool, typer.Option("--no-title", help="No title.")] = False,
    no_legend: Annotated[bool, typer.Option("--no-legend", help="No legend.")] = False,
    no_source: Annotated[bool, typer.Option("--no-source", help="No source line.")] = False,
    date: Annotated[Optional[str], typer.Option(help="Print this date (YYYY-MM-DD).")] = None,
    dpi: Annotated[int, typer.Option(help="PNG resolution (300 for print).")] = 96,
    scale: Annotated[float, typer.Option(help="PNG: multiply the resolution.")] = 1.0,
    store: StoreOption = None,
) -> None:
    """Export a graph view as SVG, PNG, PDF or a standalone interactive HTML file."""
    from kg.export.files import ViewRequest, build_view, export_bytes, file_name
    from kg.export.options import FORMATS, ExportError, ExportOptions
    from kg.explorer import Explorer
    from kg.graph.model import GraphError

    if sum(x is not None for x in (view, all_dir, tour)) + booklet != 1:
        _fail(Message("cli.export_what"), 2)
    if booklet and fmt.value != "pdf":
        _fail(Message("cli.booklet_pdf"), 2)
    if tour is not None and fmt.value != "pptx":
        _fail(Message("cli.tour_pptx"), 2)
    try:
        def options_for(fmt_name: str) -> ExportOptions:
            return ExportOptions(
                fmt=fmt_name, preset=preset, theme=theme, labels=labels,
                title=False if no_title else (title or True), legend=not no_legend, source=not no_source,
                date=date, dpi=dpi, scale=scale, level=level,
                concept=concept if view in ("tree", "chain") else None).check()

        options_for(fmt.value)
        explorer = Explorer.load(_load(None, store))
        if booklet:
            from kg.export.booklet import booklet_pdf

            lang = "en" if labels == "en" else "zh"
            data = booklet_pdf(explorer.catalog, explorer.concept_graph, lang)
            out = output or Path(f"handout-booklet-{lang}.pdf")
            out.write_bytes(data)
            _say("cli.wrote_bytes", err=True, path=out, size=f"{len(data):,}")
            return
        if tour is not None:
            from kg.export.deck import tour_deck
            from kg.tours.builders import get_tour
            from kg.tours.model import UnknownTour

            try:
                found = get_tour(explorer.concept_graph, tour)
            except UnknownTour as exc:
                _fail(Message("unknown_tour", name=exc.name, known=", ".join(exc.known)))
            data = tour_deck(found, explorer.catalog, options_for("pptx"))
            out = output or Path(f"tour-{tour}-{labels}.pptx")
            out.write_bytes(data)
            _say("cli.wrote_bytes", err=True, path=out, size=f"{len(data):,}")
            return
        if all_dir is not None:
            all_dir.mkdir(parents=True, exist_ok=True)
            jobs = [(name, f) for name in STANDARD_VIEWS for f in FORMATS if f != "pptx" or name in ("tree", "chain")]
            with typer.progressbar(jobs, label=_text(Message("cli.exporting")), show_pos=True, file=sys.stderr) as bar:
                for name, fmt_name in bar:
                    request = ViewRequest(name)
                    graph_view = build_view(explorer.concept_graph, request)
                    data = export_bytes(graph_view, explorer.catalog, options_for(fmt_name))
                    (all_dir / file_name(request, graph_view, options_for(fmt_name))).write_bytes(data)
            _say("cli.wrote_files", err=True, n=len(jobs), path=all_dir)
            return
        request = ViewRequest(view, concept if view == "neighbourhood" else None, depth, source, target,
                              relations=tuple(relation or ()), classes=tuple(cls or ()),
                              hidden_classes=tuple(hide_class or ()), hidden_relations=tuple(hide_relation or ()))
        graph_view = build_view(explorer.concept_graph, request)
        data = export_bytes(graph_view, explorer.catalog, options_for(fmt.value))
        out = output or Path(file_name(request, graph_view, options_for(fmt.value)))
        out.write_bytes(data)
        _say("cli.wrote_bytes", err=True, path=out, size=f"{len(data):,}")
    except KeyError as exc:
        _fail(Message("unknown_concept", name=exc.args[0]))
    except (GraphError, ExportError) as exc:
        _fail(t("problem.cli_cannot_export", _lang(), reason=exc.text(_lang())))
    except resources.MissingResource:
        raise  # a broken install, not a file that cannot be written (Commands reports it)
    except OSError as exc:
        _fail(Message("cli.cannot_write", detail=exc))


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Turtle, N-Triples, JSON-LD or RDF/XML files, or folders.")],
    store: StoreOption = None,
    graph: Annotated[Optional[str], typer.Option(
        "--graph", help="Put the files into the named graph of this IRI (replacing it) instead of one graph "
                        "per file named after the file.")] = None,
) -> None:
    """Load RDF files into a persistent or remote store, one named graph per file (or all into --graph IRI).

    Loading a file again replaces its graph.  Every file is checked before any is stored: a syntax
    error stops the load with its file and line, and the store stays as it was."""
    if graph is not None and not is_absolute_iri(graph):
        _fail(Message("cli.not_an_iri", value=graph), 2)
    files = _rdf_files(paths)
    if not files:
        _fail(Message("cli.nothing_to_load"), 2)
    try:
        target = connect(store)
    except StoreError as exc:
        _fail(Message("cli.store", detail=exc))
    if target.kind == "memory":
        _fail(Message("cli.load_needs_store"), 2)
    total = sum(p.stat().st_size for p in files)
    start = time.perf_counter()
    done: dict[Path, int] = {}
    with typer.progressbar(length=total, label=_text(Message("cli.loading", n=len(files))), file=sys.stderr,
                           show_percent=True, show_eta=True) as bar:
        def progress(path: Path, read: int, _size: int) -> None:
            bar.update(read - done.get(path, 0))
            done[path] = read

        snapshot.discard(target)  # the store changes: the explorer's snapshot of it is stale
        try:
            target.load(files, progress=progress, graph=URIRef(graph) if graph is not None else None)
        except RDFSyntaxError as exc:
            _fail("\n" + _text(Message("cli.nothing_loaded", error=_syntax(exc))))
        except StoreError as exc:
            _fail("\n" + _text(Message("cli.store", detail=exc)))
    _say("cli.loaded", err=True, n=len(files), mb=f"{total / 1e6:.1f}", store=target.describe(),
         seconds=f"{time.perf_counter() - start:.1f}", triples=f"{len(target):,}", graphs=len(target.graph_names()))
    if snapshot.path_for(target) is not None:  # index now, so that serving starts in seconds
        start = time.perf_counter()
        from kg.explorer import Explorer

        explorer = Explorer.load(target, keep_snapshot=True)
        _say("cli.indexed", err=True, n=f"{len(explorer.catalog.concepts):,}",
             seconds=f"{time.perf_counter() - start:.1f}", path=snapshot.path_for(target))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    paths: Annotated[Optional[list[Path]], typer.Argument(help="RDF files or folders (default: bundled).")] = None,
    store: StoreOption = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes (each reads the store at start; "
                                                             "use with a remote or on-disk store).")] = 1,
) -> None:
    """Start the explorer (pages, JSON API, graph views, search, SPARQL) on the bundled data, or
    on a store (``--store oxigraph:DIR`` or ``--store http://host:7878/query``)."""

    import uvicorn

    from api.app import create_app

    resources.static_dir()  # the app's own files: a broken install stops here rather than in each worker
    resources.ui_catalogue()
    _check_settings()
    if workers > 1:
        if paths:
            _fail(Message("cli.workers_need_store"), 2)
        os.environ["KG_STORE"] = store or os.environ.get("KG_STORE", "memory")
        if os.environ["KG_STORE"].startswith("oxigraph:") and os.environ["KG_STORE"] != "oxigraph:":
            # one writer prepares the store (the bundled data if it is empty) and its snapshot, in a
            # process of its own so that the supervisor does not keep that memory; the workers then
            # open the store read-only, side by side, and start from the snapshot
            import multiprocessing

            child = multiprocessing.get_context("spawn").Process(target=_prepare, args=(os.environ["KG_STORE"],))
            child.start()
            child.join()
            if child.exitcode:
                _fail(Message("cli.cannot_prepare", store=os.environ["KG_STORE"], code=child.exitcode))
            os.environ["KG_STORE_READ_ONLY"] = "1"
        _say("cli.starting", err=True, n=workers, store=os.environ["KG_STORE"], url=f"http://{host}:{port}/")
        os.environ[SUPERVISOR_PID] = str(os.getpid())
        uvicorn.run("api.cli:worker_app", factory=True, host=host, port=port, workers=workers, log_level="info",
                    server_header=False)
        return
    start = time.perf_counter()
    application = create_app(store=_load(paths, store))
    _say("cli.serving", err=True, n=len(application.state.explorer.catalog.concepts),
         store=application.state.explorer.store.describe(), seconds=f"{time.perf_counter() - start:.2f}",
         url=f"http://{host}:{port}/")
    uvicorn.run(application, host=host, port=port, log_level="info", server_header=False)


def _check_settings() -> None:
    """The server's ``KG_*`` settings (queues, limits, threads), read once here: a bad one ends ``kg serve``
    with one line and exit 2, before any worker starts."""
    from api import admission
    from api.app import threads_setting
    from kg import endpoint

    try:
        admission.AdmissionLimits.from_env()
        admission.export_limits()
        admission.express_budget()
        endpoint.Limits.from_env()
        threads_setting()
    except ValueError as exc:
        _fail(Message("cli.bad_setting", detail=str(exc)), 2)


#: the environment variable that tells ``kg serve --workers``' workers their supervisor's pid
SUPERVISOR_PID = "KG_SUPERVISOR_PID"


def worker_app():
    """The app of one ``kg serve --workers`` worker (uvicorn calls it in the worker): the worker ends
    with its supervisor, even one killed with SIGKILL, so that a restart finds the port free."""
    import os

    from api.app import create_app
    from kg import lifetime

    lifetime.die_with_parent(int(os.environ[SUPERVISOR_PID]))
    return create_app()


def _prepare(spec: str) -> None:
    """Open an on-disk store for ``kg serve --workers``: the bundled data if it is empty, and the snapshot."""
    from kg.explorer import Explorer

    Explorer.load(_load(None, spec), keep_snapshot=True)


def main() -> None:  # pragma: no cover - the console-script entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
