"""Where the bundled ontology and data live."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
DATA_DIR = ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
AUTHORING_DIR = DATA_DIR / "authoring"
