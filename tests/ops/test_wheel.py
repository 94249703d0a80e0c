"""An installed wheel is the whole product: built here, installed into a fresh venv, it
migrates a real Neo4j from the migrations it carries as package data (not from a checkout).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_store, neo4j_options

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".uv" / "bin" / "uv"
MIGRATION = "008_proposals.cypher"


def _uv() -> str:
    found = str(UV) if UV.exists() else shutil.which("uv")
    if found is None:
        pytest.skip("uv is not installed (make install provides .uv/bin/uv)")
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only the built wheel and its dependencies; answers its bin/."""
    uv, where = _uv(), tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(where / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (where / "dist").glob("timeline-*.whl")
    venv = where / "venv"
    subprocess.run(
        [uv, "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True
    )
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    env.pop("UV_PROJECT_ENVIRONMENT", None)
    subprocess.run([uv, "pip", "install", str(wheel)], check=True, capture_output=True, env=env)
    return venv / "bin"


def _run(bin_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    options = neo4j_options()
    env = {
        **os.environ,
        "NEO4J_URI": options["uri"],
        "NEO4J_USER": options["user"],
        "NEO4J_PASSWORD": options["password"],
        "NEO4J_DATABASE": options["database"],
    }
    # Run from outside the checkout, so nothing of the source tree is importable.
    return subprocess.run(
        [str(bin_dir / args[0]), *args[1:]], capture_output=True, text=True, env=env, cwd="/"
    )


def test_the_wheel_carries_its_migrations(installed: Path) -> None:
    listing = _run(
        installed,
        "python",
        "-c",
        "import timeline.stores.neo4j.migrations as m; print(m.__file__);"
        "print(*[f.name for f in m.migrations()])",
    )
    assert listing.returncode == 0, listing.stderr
    where, names = listing.stdout.splitlines()
    assert "site-packages" in where and str(ROOT) not in where
    assert names.split() == sorted(
        p.name for p in (ROOT / "src/timeline/stores/neo4j/migrations").glob("*.cypher")
    )


@pytest.mark.neo4j
async def test_an_installed_wheel_migrates_a_real_neo4j(installed: Path) -> None:
    store = await make_store("neo4j")
    try:
        await store.migrate()  # type: ignore[attr-defined]
        # Forget that one migration was applied: the wheel's `timeline migrate` must find it
        # in its own package data and apply it again (its statements are IF NOT EXISTS).
        await store._rows(  # type: ignore[attr-defined]
            "MATCH (m:Migration {name: $name}) DELETE m", {"name": MIGRATION}, write=True
        )
        first = _run(installed, "timeline", "migrate")
        assert first.returncode == 0, first.stderr
        assert "applied: CREATE" in first.stderr
        rows = await store._rows(  # type: ignore[attr-defined]
            "MATCH (m:Migration {name: $name}) RETURN count(m) AS n", {"name": MIGRATION}
        )
        assert rows[0]["n"] == 1
        again = _run(installed, "timeline", "migrate")
        assert again.returncode == 0, again.stderr
        assert "applied:" not in again.stderr
        assert "up to date" in again.stderr
    finally:
        await store.close()
