"""The install check (``make install-check``, run by ``make test``): the project as a user installs it.

Builds the sdist and, from it, the wheel (``python -m build``), installs the wheel into a fresh virtualenv
under a temporary folder (dependencies from the package index), and from an empty folder outside the
checkout runs ``kg stats``, ``kg dump -f nt``, ``kg validate``, ``kg export tree -f svg`` and a short
``kg serve`` (the home page, a static file and ``/-/health``).  It also checks what the wheel installs:
the import packages ``kg`` and ``api`` only, the bundled folders inside ``kg``.

Any failing step stops the check with the command, its exit code and its output, and exit 1.
Standard library only: it runs with any Python 3.11+, not inside the project's environment.
Not a pytest module (pytest collects ``test_*.py``).

    python tests/install_check.py [--keep]     # --keep: leave the temporary folder for a look
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
#: the import packages and the bundled folders (inside kg) the wheel must carry, and nothing else top-level
PACKAGES = {"kg", "api"}
BUNDLED = ("web", "ontology", "data")


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"install-check: {message}", flush=True)


def clean_env() -> dict[str, str]:
    """The environment of a user's shell: nothing pointing into the checkout or at another store."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "KG_STORE", "KG_STORE_READ_ONLY")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(args: list, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run ``args``; a non-zero exit raises :class:`CheckFailed` with the output."""
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise CheckFailed(f"`{' '.join(map(str, args))}` exited {result.returncode}\n"
                          f"--- stdout (tail)\n{result.stdout[-3000:]}\n--- stderr (tail)\n{result.stderr[-3000:]}")
    return result


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


class Steps:
    """The check's steps, timed: ``with steps("name"):``."""

    def __init__(self) -> None:
        self.times: list[tuple[str, float]] = []

    def __call__(self, name: str):
        steps = self

        class _Step:
            def __enter__(self):
                say(f"{name} …")
                self.start = time.perf_counter()

            def __exit__(self, kind, exc, tb):
                if kind is None:
                    steps.times.append((name, time.perf_counter() - self.start))
                    say(f"{name}: ok ({steps.times[-1][1]:.1f} s)")

        return _Step()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get("content-type", ""), response.read().decode("utf-8")


def check_serve(kg: Path, cwd: Path) -> None:
    """``kg serve`` on a free port of 127.0.0.1 answers ``/``, a static file of it and ``/-/health``; then stops."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = cwd / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(kg), "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=cwd,
                                  env=clean_env(), stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _, body = fetch(f"{base}/-/health")
                break
            except OSError:
                if server.poll() is not None:
                    raise CheckFailed(f"kg serve exited {server.returncode}\n{log.read_text()[-3000:]}") from None
                if time.monotonic() > deadline:
                    raise CheckFailed(f"kg serve did not answer in 90 s\n{log.read_text()[-3000:]}") from None
                time.sleep(0.3)
        health = json.loads(body)
        check(status == 200 and health.get("status") == "ok" and health.get("concepts", 0) > 0,
              f"/-/health: {status} {body[:500]}")
        status, kind, home = fetch(f"{base}/")
        check(status == 200 and kind.startswith("text/html") and "<html" in home, f"/: {status} {kind}")
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home)
        check(stylesheet is not None, "/: no stylesheet under /static/ in the home page")
        status, kind, css = fetch(base + stylesheet.group(1))
        check(status == 200 and kind.startswith("text/css") and css.strip() != "",
              f"{stylesheet.group(1)}: {status} {kind}, {len(css)} characters")
        say(f"kg serve: /-/health {health['concepts']} concepts, / {len(home):,} characters, "
            f"{stylesheet.group(1)} {len(css):,} characters")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    check(server.returncode in (0, -15), f"kg serve stopped with {server.returncode}\n{log.read_text()[-3000:]}")


def check_installed_files(python: Path, cwd: Path) -> None:
    """The distribution installs ``kg`` and ``api`` (and its console script), the bundled folders inside ``kg``."""
    script = """
import json
from importlib.metadata import distribution
from kg import resources
files = [str(f) for f in distribution("learning-organ-kg").files]
print(json.dumps({"top": sorted({f.split("/")[0] for f in files if not f.startswith("..")}),
                  "folders": {name: str(resources.folder(name)) for name in resources.FOLDERS},
                  "kg": str(resources.folder("data").parent)}))
"""
    found = json.loads(run([python, "-c", script], cwd).stdout)
    top = set(found["top"]) - {t for t in found["top"] if t.endswith(".dist-info")}
    check(top == PACKAGES, f"the wheel installs top-level {sorted(top)}; expected {sorted(PACKAGES)}")
    site_kg = Path(found["kg"])
    check(site_kg.name == "kg" and CHECKOUT not in site_kg.parents and site_kg.parent != CHECKOUT,
          f"the installed kg reads its resources from {site_kg}, not from the installed package")
    for name in BUNDLED:
        check(Path(found["folders"][name]) == site_kg / name, f"{name}/ resolved to {found['folders'][name]}")
    say(f"installs {', '.join(sorted(top))}; bundled {', '.join(f'kg/{n}/' for n in BUNDLED)} in {site_kg}")


def main(keep: bool = False) -> int:
    steps = Steps()
    scratch = Path(tempfile.mkdtemp(prefix="kg-install-check-"))
    venv, dist, work = scratch / "venv", scratch / "dist", scratch / "empty"
    work.mkdir()
    python, kg = venv / "bin" / "python", venv / "bin" / "kg"
    start = time.perf_counter()
    try:
        with steps("fresh virtualenv"):
            run([sys.executable, "-m", "venv", venv], scratch)
            run([python, "-m", "pip", "install", "--quiet", "build"], scratch)
        with steps("build the sdist and, from it, the wheel"):
            run([python, "-m", "build", "--outdir", dist, CHECKOUT], scratch)
            wheels = list(dist.glob("*.whl"))
            check(len(wheels) == 1, f"expected one wheel in {dist}, found {wheels}")
        with steps(f"install {wheels[0].name}"):
            run([python, "-m", "pip", "install", "--quiet", wheels[0]], scratch)
        with steps("what the wheel installs"):
            check_installed_files(python, work)
        with steps("kg stats"):
            stats = json.loads(run([kg, "stats", "--json"], work).stdout)
            concepts, triples = stats["totals"]["concepts"], stats["totals"]["triples"]
            check(concepts > 0 and triples > 0, f"kg stats: {concepts} concepts, {triples} triples")
            say(f"kg stats: {concepts} concepts, {triples} triples")
        with steps("kg dump -f nt"):
            lines = [line for line in run([kg, "dump", "-f", "nt"], work).stdout.splitlines() if line.strip()]
            check(len(lines) == triples, f"kg dump -f nt: {len(lines)} lines for {triples} triples")
        with steps("kg validate"):
            report = run([kg, "validate"], work).stdout
            check(report.startswith("OK:"), f"kg validate: {report[-1000:]}")
        with steps("kg export tree -f svg"):
            run([kg, "export", "tree", "-f", "svg", "-o", "x.svg"], work)
            svg = (work / "x.svg").read_text(encoding="utf-8")
            check("<svg" in svg and "</svg>" in svg and len(svg) > 1000, f"x.svg: {len(svg)} characters")
        with steps("kg serve"):
            check_serve(kg, work)
        check(not (CHECKOUT / "x.svg").exists(), "kg export wrote into the checkout")
    except CheckFailed as exc:
        print(f"install-check: FAILED\n{exc}", file=sys.stderr)
        print(f"install-check: the folder is kept for a look: {scratch}", file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired as exc:
        print(f"install-check: FAILED: `{' '.join(map(str, exc.cmd))}` took over {exc.timeout} s", file=sys.stderr)
        return 1
    if keep:
        say(f"kept {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"passed in {time.perf_counter() - start:.1f} s: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.times))
    return 0


if __name__ == "__main__":
    sys.exit(main(keep="--keep" in sys.argv[1:]))
