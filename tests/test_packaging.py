"""pyproject.toml ships what the code needs: every package of kg/ and api/, the bundled folders inside kg.

The wheel itself is built, installed and run by ``tests/install_check.py`` (``make install-check``);
this is the quick check that a new package was not left out of the explicit list.
"""

import tomllib
from pathlib import Path

from kg import resources

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _packages_on_disk() -> set[str]:
    return {".".join(init.parent.relative_to(ROOT).parts)
            for top in ("kg", "api") for init in (ROOT / top).rglob("__init__.py")
            if "__pycache__" not in init.parts}


def test_every_package_of_kg_and_api_is_listed():
    listed = set(SETUPTOOLS["packages"])
    bundled = {f"kg.{name}" for name in resources.FOLDERS}
    assert listed - bundled == _packages_on_disk(), "add the new package to [tool.setuptools] packages"


def test_the_bundled_folders_travel_inside_kg_with_all_their_files():
    for name in resources.FOLDERS:
        assert SETUPTOOLS["package-dir"][f"kg.{name}"] == name and (ROOT / name).is_dir()
        assert SETUPTOOLS["package-data"][f"kg.{name}"] == ["**/*"]


def test_the_distribution_claims_no_top_level_name_but_kg_and_api():
    assert {package.split(".")[0] for package in SETUPTOOLS["packages"]} == {"kg", "api"}
    assert set(SETUPTOOLS["package-dir"]) == {f"kg.{name}" for name in resources.FOLDERS}


def test_the_console_script_is_the_command_line_above_kg_and_api():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"] == {"kg": "api.cli:main"}
