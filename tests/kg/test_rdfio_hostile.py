"""Hostile RDF files: nested XML entities (the billion laughs), external entities and DTDs, remote
JSON-LD contexts.  Every reader refuses them with file and line, fast, and fetches nothing."""

from __future__ import annotations

import http.server
import json
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from rdflib import Graph

from kg.rdfio import RDFSyntaxError, check_file, parse_file, screen
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore
from kg.validate import validate_files

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def billion_laughs() -> str:
    """Ten levels of ten references: 3 × 10⁹ characters once expanded, from well under a kilobyte."""
    names = "abcdefghij"
    entities = ['<!ENTITY a "lollollollollollollollollollol">']
    entities += [f'<!ENTITY {names[i]} "' + f"&{names[i - 1]};" * 10 + '">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE r:RDF [\n' + "\n".join(entities) + "\n]>\n"
            f'<r:RDF xmlns:r="{RDF_NS}" xmlns:e="http://example.org/">\n'
            '<r:Description r:about="http://example.org/a"><e:p>&j;</e:p></r:Description>\n</r:RDF>\n')


XXE = ('<?xml version="1.0"?>\n<!DOCTYPE r:RDF [\n<!ENTITY x SYSTEM "file:///etc/hostname">\n]>\n'
       f'<r:RDF xmlns:r="{RDF_NS}" xmlns:e="http://example.org/">\n'
       '<r:Description r:about="http://example.org/a"><e:p>&x;</e:p></r:Description>\n</r:RDF>\n')
PLAIN_XML = (f'<?xml version="1.0"?>\n<r:RDF xmlns:r="{RDF_NS}" xmlns:e="http://example.org/">\n'
             '<r:Description r:about="http://example.org/a"><e:p>ok</e:p></r:Description>\n</r:RDF>\n')


@pytest.fixture
def laughs(tmp_path) -> Path:
    path = tmp_path / "laughs.rdf"
    path.write_text(billion_laughs())
    assert path.stat().st_size < 700
    return path


def test_the_billion_laughs_is_refused_with_its_line_by_each_reader(laughs, tmp_path):
    for read in (parse_file, check_file, lambda p: MemoryStore().load([p]),
                 lambda p: OxigraphStore(tmp_path / "ox").load([p])):
        with pytest.raises(RDFSyntaxError) as caught:
            read(laughs)
        assert caught.value.path == laughs and caught.value.line == 3, caught.value
        assert "entity" in caught.value.message
    report = validate_files([laughs])
    assert [p.where.rsplit(":", 2)[1] for p in report.problems] == ["3"]


def test_an_external_entity_is_refused_with_its_line(tmp_path):
    path = tmp_path / "xxe.rdf"
    path.write_text(XXE)
    for read in (parse_file, check_file):
        with pytest.raises(RDFSyntaxError) as caught:
            read(path)
        assert caught.value.line == 3 and "external entity 'x'" in caught.value.message


def test_an_external_dtd_is_refused_and_a_plain_file_is_read(tmp_path):
    path = tmp_path / "dtd.rdf"
    path.write_text(PLAIN_XML.replace("<r:RDF", '<!DOCTYPE r:RDF SYSTEM "http://127.0.0.1:9/x.dtd">\n<r:RDF', 1))
    with pytest.raises(RDFSyntaxError) as caught:
        parse_file(path)
    assert caught.value.line == 2 and "external DTD" in caught.value.message
    plain = tmp_path / "plain.rdf"
    plain.write_text(PLAIN_XML)
    assert len(parse_file(plain)) == 1
    check_file(plain)


# --- commands, in a process of their own with a time and memory ceiling --------------------------

def _bounded(args: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
    def ceiling():  # 2 GB of address space: an expansion to gigabytes fails instead of passing slowly
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=ceiling)


def test_screening_a_large_rdf_xml_file_reads_only_its_prolog(tmp_path):
    """check_file (kg load, kg validate) promises constant memory: the screen stops at the root element
    instead of reading the whole file first."""
    import tracemalloc

    big = tmp_path / "big.rdf"
    body = '<rdf:Description rdf:about="https://example.org/x"><rdf:value>%s</rdf:value></rdf:Description>\n' % ("x" * 900)
    big.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                   + body * 20_000 + "</rdf:RDF>\n", encoding="utf-8")
    assert big.stat().st_size > 18_000_000
    tracemalloc.start()
    try:
        screen(big, "xml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, peak


def test_the_readers_refuse_it_in_a_small_process_within_seconds(laughs):
    """Both parsers' paths in a process limited to 1 GB and 20 s (rdflib's import included): the
    expansion would need gigabytes and, for pyoxigraph, about 15 s."""
    code = ("import sys; from pathlib import Path; from kg.rdfio import RDFSyntaxError, check_file, parse_file\n"
            "for read in (parse_file, check_file):\n"
            "    try:\n        read(Path(sys.argv[1]))\n    except RDFSyntaxError as exc:\n        print(exc)\n")

    def ceiling():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = subprocess.run([sys.executable, "-c", code, str(laughs)], capture_output=True, text=True,
                            timeout=20, preexec_fn=ceiling)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(f"{laughs}:3:") == 2


@pytest.mark.parametrize("command", ["validate", "load", "serve"])
def test_each_command_refuses_the_billion_laughs_at_once(command, laughs, tmp_path):
    args = {"validate": ["validate", str(laughs)],
            "load": ["load", str(laughs), "--store", f"oxigraph:{tmp_path / 'store'}"],
            "serve": ["serve", str(laughs), "--port", "9"]}[command]
    result = _bounded(args)
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert f"{laughs}:3:" in output and "entity" in output
    assert "Traceback" not in output


# --- remote JSON-LD contexts ------------------------------------------------------------------

@pytest.fixture
def context_server():
    """A server on 127.0.0.1 that answers any GET with a JSON-LD context and records the paths asked for."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            hits.append(self.path)
            body = json.dumps({"@context": {"name": "http://schema.org/name"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def _documents(url: str) -> dict[str, object]:
    node = {"@id": "http://example.org/a", "name": "x"}
    return {
        "string": {"@context": f"{url}/string.jsonld", **node},
        "list": {"@context": [{"n": "http://schema.org/n"}, f"{url}/list.jsonld"], **node},
        "import": {"@context": {"@import": f"{url}/import.jsonld"}, **node},
        "nested": {"@context": {"name": "http://schema.org/name"}, "@id": "http://example.org/b",
                   "http://example.org/p": {"@context": f"{url}/nested.jsonld", **node}},
        "scoped": {"@context": {"name": "http://schema.org/name",
                                "knows": {"@id": "http://example.org/knows", "@context": f"{url}/scoped.jsonld"}},
                   **node, "knows": {"@id": "http://example.org/c", "name": "y"}},
    }


def test_the_context_server_is_really_fetched_from_by_a_bare_rdflib_parse(context_server, tmp_path):
    """The control: without the screen, rdflib fetches the context (so the server below would see it)."""
    url, hits = context_server
    path = tmp_path / "string.jsonld"
    path.write_text(json.dumps(_documents(url)["string"]))
    Graph().parse(path, format="json-ld")
    assert hits == ["/string.jsonld"]


@pytest.mark.parametrize("kind", ["string", "list", "import", "nested", "scoped"])
def test_a_remote_context_is_refused_and_never_fetched(kind, context_server, tmp_path):
    url, hits = context_server
    path = tmp_path / f"{kind}.jsonld"
    path.write_text(json.dumps(_documents(url)[kind], indent=1))
    for read in (parse_file, check_file, lambda p: MemoryStore().load([p]),
                 lambda p: OxigraphStore(tmp_path / "ox").load([p])):
        with pytest.raises(RDFSyntaxError) as caught:
            read(path)
        assert caught.value.path == path and caught.value.line > 1
        assert f"{url}/{kind}.jsonld" in caught.value.message and "not fetched" in caught.value.message
    assert not validate_files([path]).ok
    assert hits == []


def test_an_inline_context_is_read(tmp_path):
    path = tmp_path / "inline.jsonld"
    path.write_text(json.dumps({"@context": {"name": "http://schema.org/name"}, "@id": "http://example.org/a",
                                "name": "x"}))
    assert len(parse_file(path)) == 1
    check_file(path)


@pytest.mark.parametrize("command", ["validate", "serve"])
def test_commands_fetch_no_context(command, context_server, tmp_path):
    url, hits = context_server
    path = tmp_path / "ctx.jsonld"
    path.write_text(json.dumps(_documents(url)["import"], indent=1))
    args = ["validate", str(path)] if command == "validate" else ["serve", str(path), "--port", "9"]
    result = _bounded(args)
    assert result.returncode == 1
    assert f"{path}:" in result.stdout + result.stderr and "not fetched" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert hits == []
