"""``timeline ingest``: proposals out, the graph unchanged, bad files refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from timeline.cli import main
from timeline.model.seeds import load_seeds

SEEDS = Path(__file__).parents[2] / "seeds"
ARTICLE = (
    "Blinken meets Bárcena\n\n"
    "This Wednesday, Secretary of State Antony Bliken met Mexico's Foreign Secretary Alicia "
    "Barcena in Washington.\n"
)


def _ingest(tmp_path: Path, data: bytes, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "ingest",
            str(path),
            "--title",
            "Blinken meets Bárcena",
            "--published",
            "2024-03-06",
            "--seeds",
            str(SEEDS),
            *args,
        ],
        env={"TIMELINE_BACKEND": "memory", "TIMELINE_MAX_DOCUMENT_CHARS": "5000"},
    )
    return result.exit_code, result.stdout, result.stderr


def test_ingest_writes_proposals_and_changes_nothing(tmp_path: Path) -> None:
    before = load_seeds(SEEDS).version()
    code, out, err = _ingest(tmp_path, ARTICLE.encode(), "--publisher", "Example News")
    assert code == 0, err
    body = json.loads(out)
    assert body["document"] == {
        "title": "Blinken meets Bárcena",
        "published": "2024-03-06",
        "publisher": "Example News",
        "url": None,
        "language": "en",
    }
    assert body["text"] == ARTICLE
    mentions = {i["entity"] for i in body["items"] if i["kind"] == "MENTION"}
    assert {"person:antony-blinken", "person:alicia-barcena", "country:mx"} <= mentions
    for item in body["items"]:
        quote = item["quote"]
        assert ARTICLE[quote["start"] : quote["end"]] == quote["text"]
    dates = [i for i in body["items"] if i["kind"] == "DATE"]
    assert [(d["name"], d["edtf"]) for d in dates] == [("This Wednesday", "2024-03-06")]
    assert "graph is unchanged" in " ".join(err.split())
    assert load_seeds(SEEDS).version() == before


def test_ingest_yaml(tmp_path: Path) -> None:
    code, out, _ = _ingest(tmp_path, ARTICLE.encode(), "--format", "yaml", "--language", "en")
    assert code == 0
    assert yaml.safe_load(out)["document"]["title"] == "Blinken meets Bárcena"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        ("Bogotá".encode("latin-1"), "not UTF-8"),
        (b"word " * 2000, "max_document_chars"),
    ],
)
def test_bad_files_are_refused(tmp_path: Path, data: bytes, message: str) -> None:
    code, out, err = _ingest(tmp_path, data)
    assert code == 1
    assert out == ""
    assert message in " ".join(err.split())


def test_bad_date_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["ingest", str(path), "--title", "t", "--published", "yesterday", "--seeds", str(SEEDS)],
    )
    assert result.exit_code == 1
    assert "EDTF" in result.stderr or "not an EDTF date" in result.stderr
