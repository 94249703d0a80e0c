"""Names in other languages in the seeds: read, checked verbatim against their quotes."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.model.test_seeds import GOOD, only, problems_for, write_seeds
from timeline.model.records import LocalizedName, Organization, Source
from timeline.model.seeds import load_seeds, read_seeds

ROOT = Path(__file__).resolve().parents[2]


def _with_name(text: str, quote: str) -> str:
    content = textwrap.dedent(GOOD["entities.yaml"])
    old = "  - id: country:no\n"
    assert old in content
    block = (
        "    names:\n"
        f"      - text: {text}\n"
        "        language: es\n"
        f'        source: {{doc: document:report, quote: "{quote}"}}\n'
    )
    return content.replace(old, block + old, 1)


def test_a_name_in_its_quote_loads(tmp_path: Path) -> None:
    seeds = write_seeds(
        tmp_path, {**GOOD, "entities.yaml": _with_name("Panama", "concluded in Panama City")}
    )
    dataset, problems = read_seeds(seeds)
    assert problems == []
    assert dataset is not None
    country = dataset.entities["country:pa"]
    assert country.localized_names == (
        LocalizedName("Panama", "es", (Source("document:report", "concluded in Panama City"),)),
    )
    assert country.name_in("es-PA") == "Panama"


def test_a_name_not_in_its_quote_is_a_problem(tmp_path: Path) -> None:
    problem = only(
        problems_for(tmp_path, entities_yaml=_with_name("Panamá", "concluded in Panama City"))
    )
    assert "is not in its quote" in problem.reason


def test_a_quote_not_in_the_text_is_a_problem(tmp_path: Path) -> None:
    problem = only(problems_for(tmp_path, entities_yaml=_with_name("Panamá", "Panamá dijo")))
    assert "not found verbatim" in problem.reason


def test_seeds_give_spanish_names_of_guatemalan_and_panamanian_bodies() -> None:
    dataset = load_seeds(ROOT / "seeds")
    spanish: dict[str, str] = {}
    for entity in dataset.entities.values():
        for name in entity.localized_names:
            if name.language == "es":
                assert isinstance(entity, Organization)
                spanish[entity.id] = name.text
                assert all(name.text in s.quote for s in name.sources)
    gt = [e for e in spanish if dataset.entities[e].country == "country:gt"]  # type: ignore[attr-defined]
    pa = [e for e in spanish if dataset.entities[e].country == "country:pa"]  # type: ignore[attr-defined]
    assert gt and pa
    centres = dataset.entities["organization:guatemala-migration-resource-centers"]
    assert centres.name_in("es") == "Centros de Atención a Personas Migrantes y Refugiadas"
    assert centres.name_in("fr") == centres.name
