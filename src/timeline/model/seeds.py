"""Seed files: the curated dataset as reviewable YAML, validated into a :class:`Dataset`.

The format is described in ``docs/data-model.md``. :func:`read_seeds` returns the dataset
and every problem found, each with the file, line and reason; :func:`load_seeds` returns
the dataset only when there is no problem at all, so a dataset with errors loads nothing.

>>> dataset = load_seeds(SEEDS)
>>> dataset.counts()["event"]
67
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from timeline.model.dates import DateError, DateSpan, parse_date
from timeline.model.ids import ID_PATTERN, Kind, kind_of
from timeline.model.records import (
    ENTITY_CLASSES,
    INFERRED,
    RELATION_TYPES,
    Claim,
    Dataset,
    Document,
    Entity,
    LocalizedName,
    Relation,
    Source,
)
from timeline.model.rules import (
    country_code,
    position_title,
    self_link,
    unquoted,
    unused_acronyms,
    wrong_kind,
)
from timeline.model.text import normalize_quote

__all__ = [
    "MANIFEST",
    "SeedError",
    "SeedProblem",
    "load_seeds",
    "read_seeds",
]

MANIFEST = "dataset.yaml"


@dataclass(frozen=True, slots=True, order=True)
class SeedProblem:
    """One thing wrong with the seeds, where it is and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class SeedError(Exception):
    """The seeds have problems; nothing was loaded."""

    def __init__(self, problems: Sequence[SeedProblem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = len(self.problems) - 20
        super().__init__(
            f"{len(self.problems)} problem(s) in the seeds:\n{shown}"
            + (f"\n... and {more} more" if more > 0 else "")
        )


# --- YAML with line numbers -------------------------------------------------------------


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps lines, reads dates as text and only true/false as booleans.

    YAML 1.1 would turn ``code: NO`` (Norway) into False and ``date: 2022-04-20`` into a
    date object; seeds mean the text they show.
    """


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.MarkedYAMLError(
                "while reading a mapping",
                node.start_mark,
                f"duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _line_of(data: Any, loc: Sequence[int | str]) -> int:
    """The line of the deepest mapping or key that a pydantic error location reaches."""
    line = getattr(data, "line", 1)
    node = data
    for part in loc:
        if isinstance(node, _Mapping):
            if part == "sources" and "sources" not in node and "source" in node:
                # ``source:`` (one) was read as ``sources:`` (a list of one)
                line = node.key_lines.get("source", node.line)
                node = [node["source"]]
                continue
            line = node.key_lines.get(str(part), node.line)
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


# --- The schema of a seed file ------------------------------------------------------------

Id = Annotated[str, Field(pattern=ID_PATTERN.pattern)]
Text = Annotated[str, Field(min_length=1)]
Snake = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


def _edtf(value: Any) -> str | None:
    """Accept an EDTF string (or a bare YAML year) and check that it parses."""
    if value is None:
        return None
    text = str(value)
    try:
        parse_date(text)
    except DateError as exc:
        raise ValueError(str(exc)) from None
    return text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class SourceIn(_Strict):
    doc: Id
    quote: Text
    basis: Literal["stated", "inferred"] = "stated"
    note: Text | None = None

    @model_validator(mode="after")
    def _inferred_has_note(self) -> SourceIn:
        if self.basis == INFERRED and self.note is None:
            raise ValueError(
                "an inferred source needs a 'note': one sentence saying how the fact follows"
                " from this quote"
            )
        return self


class _Sourced(_Strict):
    """Anything that carries evidence: ``source:`` (one) or ``sources:`` (a list)."""

    sources: Annotated[list[SourceIn], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _one_source(cls, data: Any) -> Any:
        if isinstance(data, dict) and "source" in data:
            if "sources" in data:
                raise ValueError("give either 'source' or 'sources', not both")
            data = dict(data)
            data["sources"] = [data.pop("source")]
        return data


class ClaimIn(_Sourced):
    property: Snake
    value: Text

    @field_validator("value", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


class NameIn(_Sourced):
    """A name in one language: it must stand verbatim in each of its quotes."""

    text: Text
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(?:-[A-Z]{2})?$")]


class EntityIn(_Sourced):
    kind: ClassVar[Kind]
    id: Id
    name: Text
    aliases: list[Text] = []
    names: list[NameIn] = []
    description: Text | None = None
    claims: list[ClaimIn] = []


class EventIn(EntityIn):
    kind = Kind.EVENT
    category: Snake
    date: str
    series: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")] | None = None
    series_order: Annotated[int, Field(ge=0)] | None = None
    status: Literal["occurred", "planned"] = "occurred"

    _date = field_validator("date", mode="before")(_edtf)


class PersonIn(EntityIn):
    kind = Kind.PERSON


class CountryIn(EntityIn):
    kind = Kind.COUNTRY
    code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class OrganizationIn(EntityIn):
    kind = Kind.ORGANIZATION
    acronym: Text | None = None
    org_type: Snake | None = None
    country: Id | None = None


class AgreementIn(EntityIn):
    kind = Kind.AGREEMENT
    date: str | None = None
    agreement_type: Snake | None = None

    _date = field_validator("date", mode="before")(_edtf)


class PlaceIn(EntityIn):
    kind = Kind.PLACE
    country: Id | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    place_type: Snake | None = None


class DocumentIn(_Strict):
    id: Id
    title: Text
    publisher: Text | None = None
    published: str | None = None
    url: Text | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$")] | None = None
    file: Text | None = None

    _published = field_validator("published", mode="before")(_edtf)


class RelationIn(_Sourced):
    model_config = ConfigDict(populate_by_name=True)

    subject: Id = Field(alias="from")
    type: Annotated[str, Field(pattern=r"^[A-Z][A-Z_]*$")]
    object: Id = Field(alias="to")
    role: Text | None = None
    title: Text | None = None
    date: str | None = None
    start: str | None = None
    end: str | None = None

    _dates = field_validator("date", "start", "end", mode="before")(_edtf)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in RELATION_TYPES:
            raise ValueError(f"unknown relation type {value!r}; known: {', '.join(RELATION_TYPES)}")
        return value


#: The lists a seed file may hold, and the schema of their items.
SEED_LISTS: dict[str, type[_Strict]] = {
    "documents": DocumentIn,
    "events": EventIn,
    "people": PersonIn,
    "countries": CountryIn,
    "organizations": OrganizationIn,
    "agreements": AgreementIn,
    "places": PlaceIn,
    "relations": RelationIn,
}


class Manifest(_Strict):
    name: Text
    description: Text | None = None
    corpus: Text | None = None


# --- Reading a folder -----------------------------------------------------------------------


@dataclass
class _Located:
    """A validated item with where it came from."""

    file: str
    line: int
    item: Any
    raw: Any = None


@dataclass
class _Reader:
    root: Path
    corpus: Path | None
    problems: list[SeedProblem] = field(default_factory=list)
    #: Ids of items that failed their schema: references to them are not reported again.
    invalid_ids: set[str] = field(default_factory=set)
    #: Set when a file could not be parsed: its ids are unknown, so dangling references
    #: are not reported until it parses.
    unparsed: bool = False

    def problem(self, file: str, line: int, reason: str) -> None:
        self.problems.append(SeedProblem(file, line, reason))

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def files(self) -> list[Path]:
        if not self.root.is_dir():
            self.problem(str(self.root), 0, "not a folder of seed files")
            return []
        found = sorted(p for p in self.root.rglob("*.y*ml") if p.name != MANIFEST)
        if not found:
            self.problem(self.display(self.root), 0, "no *.yaml seed files in this folder")
        return found

    def parse(self, path: Path) -> Any:
        name = self.display(path)
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            self.problem(name, line, f"invalid YAML: {exc.problem or exc.context}")
        except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
            self.problem(name, 0, f"unreadable: {exc}")
        self.unparsed = True
        return None

    def validate_file(self, path: Path, data: Any) -> list[tuple[str, _Mapping, Any]]:
        """Each valid item of the file as (list name, raw mapping, model); problems noted.

        Items are checked one by one so that one bad item does not hide the others.
        """
        name = self.display(path)
        if data is None:
            return []
        if not isinstance(data, _Mapping):
            self.problem(name, 1, f"a seed file is a mapping of lists: {', '.join(SEED_LISTS)}")
            return []
        valid: list[tuple[str, _Mapping, Any]] = []
        for key, items in data.items():
            model = SEED_LISTS.get(key)
            line = data.key_lines.get(str(key), 1)
            if model is None:
                self.problem(
                    name, line, f"unknown list {key!r}; expected one of: {', '.join(SEED_LISTS)}"
                )
            elif not isinstance(items, list):
                self.problem(name, line, f"{key}: expected a list")
            else:
                valid.extend(
                    (key, raw, item) for raw, item in self.validate_items(name, key, items, model)
                )
        return valid

    def validate_items(
        self, name: str, key: str, items: list[Any], model: type[_Strict]
    ) -> Iterator[tuple[_Mapping, Any]]:
        for index, raw in enumerate(items):
            if not isinstance(raw, _Mapping):
                self.problem(name, getattr(raw, "line", 0), f"{key}.{index}: expected a mapping")
                continue
            try:
                yield raw, model.model_validate(raw)
            except ValidationError as exc:
                if isinstance(raw.get("id"), str):
                    self.invalid_ids.add(raw["id"])
                for error in exc.errors():
                    loc = error["loc"]
                    where = ".".join(str(part) for part in (key, index, *loc))
                    message = str(error["msg"]).removeprefix("Value error, ")
                    if error["type"] == "extra_forbidden":
                        message = (
                            "unknown field (see docs/data-model.md for the fields of each kind)"
                        )
                    self.problem(name, _line_of(raw, loc), f"{where}: {message}")

    def read_manifest(self) -> Manifest | None:
        path = self.root / MANIFEST
        if not path.exists():
            return None
        data = self.parse(path)
        try:
            return Manifest.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                self.problem(self.display(path), _line_of(data, error["loc"]), str(error["msg"]))
        return None


def _sources(items: Iterable[SourceIn]) -> tuple[Source, ...]:
    return tuple(Source(document=s.doc, quote=s.quote, basis=s.basis, note=s.note) for s in items)


def _date(text: str | None) -> DateSpan | None:
    return parse_date(text) if text is not None else None


def entity_record(item: EntityIn) -> Entity:
    fields = item.model_dump(exclude={"sources", "claims", "names"})
    fields["aliases"] = tuple(item.aliases)
    fields["localized_names"] = tuple(
        LocalizedName(n.text, n.language, _sources(n.sources)) for n in item.names
    )
    if "date" in fields:
        fields["date"] = _date(fields["date"])
    return ENTITY_CLASSES[item.kind](
        **fields,
        sources=_sources(item.sources),
        claims=tuple(Claim(c.property, c.value, _sources(c.sources)) for c in item.claims),
    )


def relation_record(item: RelationIn) -> Relation:
    return Relation(
        type=item.type,
        subject=item.subject,
        object=item.object,
        role=item.role,
        title=item.title,
        date=_date(item.date),
        start=_date(item.start),
        end=_date(item.end),
        sources=_sources(item.sources),
    )


def document_record(item: DocumentIn) -> Document:
    return Document(**{**item.model_dump(), "published": _date(item.published)})


class _Checker:
    """Cross-file checks: ids, references, kinds, and quotes against their documents."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.documents: dict[str, _Located] = {}
        self.entities: dict[str, _Located] = {}
        self.relations: dict[tuple[str, ...], _Located] = {}
        self.texts: dict[str, str | None] = {}

    def add(self, name: str, key: str, raw: _Mapping, item: Any) -> None:
        located = _Located(name, raw.line, item, raw)
        if isinstance(item, DocumentIn):
            self.register(self.documents, located, Kind.DOCUMENT)
        elif isinstance(item, EntityIn):
            self.register(self.entities, located, item.kind)
        elif isinstance(item, RelationIn):
            rel_key = (item.subject, item.type, item.object, item.role or "", item.title or "")
            first = self.relations.get(rel_key)
            if first is None:
                self.relations[rel_key] = located
            else:
                self.reader.problem(
                    name,
                    raw.line,
                    f"relation {item.subject} {item.type} {item.object} is stated twice (also at "
                    f"{first.file}:{first.line}); give it once with a list of sources",
                )

    def register(self, table: dict[str, _Located], located: _Located, kind: Kind) -> None:
        item_id = located.item.id
        if kind_of(item_id) is not kind:
            self.reader.problem(
                located.file, located.line, f"id {item_id!r} must start with '{kind.value}:' here"
            )
        clash = self.documents.get(item_id) or self.entities.get(item_id)
        if clash is not None:
            self.reader.problem(
                located.file,
                located.line,
                f"duplicate id {item_id!r} (first defined at {clash.file}:{clash.line})",
            )
            return
        table[item_id] = located

    def run(self) -> None:
        for located in self.documents.values():
            self.check_document(located)
        for located in self.entities.values():
            self.check_entity(located)
        for located in self.relations.values():
            self.check_relation(located)
        self.check_acronyms()

    def where(self, located: _Located, key: str) -> int:
        raw = located.raw
        return raw.key_lines.get(key, raw.line) if isinstance(raw, _Mapping) else located.line

    def check_document(self, located: _Located) -> None:
        doc: DocumentIn = located.item
        if doc.file is None:
            self.texts[doc.id] = None
            return
        text = self.document_text(doc)
        if text is None:
            where = self.reader.corpus or "(no corpus folder: set 'corpus' in dataset.yaml)"
            self.reader.problem(
                located.file,
                self.where(located, "file"),
                f"document text {doc.file!r} not found in {where}",
            )

    def document_text(self, doc: DocumentIn) -> str | None:
        if doc.id not in self.texts:
            path = self.reader.corpus / doc.file if self.reader.corpus and doc.file else None
            self.texts[doc.id] = (
                normalize_quote(path.read_text(encoding="utf-8"))
                if path and path.is_file()
                else None
            )
        return self.texts[doc.id]

    def check_entity(self, located: _Located) -> None:
        entity: EntityIn = located.item
        if isinstance(entity, CountryIn):
            problem = country_code(entity.id, entity.code)
            if problem is not None:
                where = self.where(located, "code")
                self.reader.problem(located.file, where, f"country code {problem}")
        country = getattr(entity, "country", None)
        if country is not None:
            self.expect(located, "country", country, {Kind.COUNTRY})
        self.check_sources(located, entity.sources)
        for claim in entity.claims:
            self.check_sources(located, claim.sources)
        for name in entity.names:
            self.check_sources(located, name.sources)
            for source in name.sources:
                if normalize_quote(name.text) not in normalize_quote(source.quote):
                    self.reader.problem(
                        located.file,
                        self.quote_line(located, source),
                        f"names: {name.text[:80]!r} is not in its quote {source.quote[:80]!r}",
                    )

    def check_relation(self, located: _Located) -> None:
        rel: RelationIn = located.item
        allowed = RELATION_TYPES[rel.type]
        self.expect(located, "from", rel.subject, allowed.subjects, rel.type)
        self.expect(located, "to", rel.object, allowed.objects, rel.type)
        for problem in (
            self_link(rel.type, rel.subject, rel.object),
            position_title(rel.type, rel.title),
        ):
            if problem is not None:
                self.reader.problem(located.file, located.line, problem)
        self.check_sources(located, rel.sources)

    def expect(
        self,
        located: _Located,
        key: str,
        ref: str,
        kinds: frozenset[Kind] | set[Kind],
        rel: str = "",
    ) -> None:
        line = self.where(located, key)
        if ref not in self.entities:
            if not self.reader.unparsed and ref not in self.reader.invalid_ids:
                self.reader.problem(located.file, line, f"{key}: unknown id {ref!r}")
            return
        problem = wrong_kind(ref, self.entities[ref].item.kind, kinds)
        if problem is not None:
            what = f"{rel} {key}" if rel else key
            self.reader.problem(located.file, line, f"{what}: {problem}")

    def check_sources(self, located: _Located, sources: Iterable[SourceIn]) -> None:
        for source in sources:
            line = self.quote_line(located, source)
            doc = self.documents.get(source.doc)
            if doc is None:
                self.reader.problem(located.file, line, f"source: unknown document {source.doc!r}")
                continue
            text = self.document_text(doc.item)
            problem = unquoted(source.quote, text, source.doc) if text is not None else None
            if problem is not None:
                self.reader.problem(located.file, line, f"quote {problem}")

    def check_acronyms(self) -> None:
        """An acronym among an entity's names must be one a text it cites uses.

        An acronym (all capitals, two letters or more: ``IOM``, ``U.S.``) is a name a
        reader will search for and quote; one the texts never use is an invention. Each must
        appear verbatim (as a whole word, case counted) in the text of a document that the
        entity, one of its claims or one of its relations cites. Documents without a text
        cannot be checked and do not count against it.
        """
        cited: dict[str, set[str]] = {
            entity_id: {s.doc for s in _all_sources(located.item)}
            for entity_id, located in self.entities.items()
        }
        for located in self.relations.values():
            rel: RelationIn = located.item
            docs = {s.doc for s in rel.sources}
            for end in (rel.subject, rel.object):
                if end in cited:
                    cited[end] |= docs
        for entity_id, located in self.entities.items():
            entity: EntityIn = located.item
            texts = [
                text
                for doc_id in sorted(cited[entity_id])
                if (doc := self.documents.get(doc_id)) is not None
                and (text := self.document_text(doc.item)) is not None
            ]
            acronym = getattr(entity, "acronym", None)
            for key, name in unused_acronyms(entity.aliases, acronym, texts):
                self.reader.problem(
                    located.file,
                    self.where(located, key),
                    f"{key}: acronym {name!r} of {entity_id} does not appear in any text it "
                    f"or its relations cite ({', '.join(sorted(cited[entity_id]))}); "
                    "give only acronyms the texts use",
                )

    def quote_line(self, located: _Located, source: SourceIn) -> int:
        """Find the line of this source's quote inside the item's raw mapping."""
        for raw in _walk(located.raw):
            if raw.get("quote") == source.quote and raw.get("doc") == source.doc:
                return raw.key_lines.get("quote", raw.line)
        return located.line

    def dataset(self) -> Dataset:
        return Dataset(
            documents={i: document_record(loc.item) for i, loc in self.documents.items()},
            entities={i: entity_record(loc.item) for i, loc in self.entities.items()},
            relations=[relation_record(loc.item) for loc in self.relations.values()],
        )


def _all_sources(entity: EntityIn) -> Iterator[SourceIn]:
    yield from entity.sources
    for claim in entity.claims:
        yield from claim.sources


def _walk(node: Any) -> Iterator[_Mapping]:
    if isinstance(node, _Mapping):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def read_seeds(
    root: str | Path, corpus: str | Path | None = None
) -> tuple[Dataset, list[SeedProblem]]:
    """Read and check a folder of seed files.

    Returns the dataset built from what is valid and every problem found, sorted by file
    and line. ``corpus`` is the folder of document texts; by default the ``corpus``
    named in the folder's ``dataset.yaml``, relative to it.
    """
    root = Path(root).resolve()
    reader = _Reader(root, Path(corpus).resolve() if corpus else None)
    manifest = reader.read_manifest()
    if reader.corpus is None and manifest is not None and manifest.corpus:
        reader.corpus = (root / manifest.corpus).resolve()
    checker = _Checker(reader)
    for path in reader.files():
        name = reader.display(path)
        for key, raw, item in reader.validate_file(path, reader.parse(path)):
            checker.add(name, key, raw, item)
    checker.run()
    return checker.dataset(), sorted(set(reader.problems))


def load_seeds(root: str | Path, corpus: str | Path | None = None) -> Dataset:
    """The dataset in a seed folder; raises :class:`SeedError` if anything is wrong."""
    dataset, problems = read_seeds(root, corpus)
    if problems:
        raise SeedError(problems)
    return dataset
