"""The ``timeline`` command: serve, validate, stats, schema, migrate, load.

Every option falls back to its ``TIMELINE_*`` (or ``NEO4J_*``) environment variable and
then to the default in :class:`timeline.config.Settings`.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from timeline.config import Settings
from timeline.model.seeds import SeedError, load_seeds, read_seeds
from timeline.stores import open_store
from timeline.stores.base import Store, StoreError

T = TypeVar("T")

err = Console(stderr=True)
out = Console()

backend_option = click.option(
    "--backend",
    type=click.Choice(["memory", "neo4j"]),
    help="Store backend [env TIMELINE_BACKEND].",
)
corpus_option = click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of document texts for quote checks [default: from the seeds' dataset.yaml].",
)
seeds_argument = click.argument(
    "seeds", required=False, type=click.Path(file_okay=False, path_type=Path)
)


def settings_from(**overrides: Any) -> Settings:
    """Settings from the environment, with the CLI's explicit options on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def run(coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(coroutine())


def store_for(settings: Settings) -> Store:
    options = settings.neo4j_options() if settings.backend == "neo4j" else {}
    return open_store(settings.backend, **options)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="timeline")
def main() -> None:
    """timeline: an event timeline and entity graph service, with sources for every fact."""


@main.command()
@backend_option
@click.option("--host", help="Interface to listen on [env TIMELINE_HOST; default 127.0.0.1].")
@click.option("--port", type=int, help="Port [env TIMELINE_PORT; default 8000].")
@click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    help="Seed folder the memory backend loads [env TIMELINE_SEEDS; default seeds].",
)
@corpus_option
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Allowed CORS origin; repeat for several [env TIMELINE_CORS_ORIGINS].",
)
@click.option(
    "--setting",
    "extra",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="Any other setting, e.g. --setting max_page 50 (see README's configuration table).",
)
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(
    workers: int,
    reload: bool,
    cors_origins: tuple[str, ...],
    extra: tuple[tuple[str, str], ...],
    **options: Any,
) -> None:
    """Serve the GraphQL API (at /graphql) and the pages over HTTP."""
    import os

    import uvicorn
    from pydantic import ValidationError

    unknown = sorted({name for name, _ in extra} - set(Settings.model_fields))
    if unknown:
        raise click.BadParameter(
            f"unknown setting(s): {', '.join(unknown)}", param_hint="--setting"
        )
    try:
        settings = settings_from(**options, **dict(extra), cors_origins=list(cors_origins) or None)
    except ValidationError as exc:
        raise click.BadParameter(str(exc), param_hint="a setting") from None
    # Workers and reload start fresh processes: they read their settings from the environment.
    os.environ.update(settings.to_environment())
    uvicorn.run(
        "timeline.api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        reload=reload,
        log_level=settings.log_level,
        proxy_headers=True,
        # uvicorn replaces a worker that does not answer its supervisor within this many
        # seconds; building a large graph holds the interpreter for seconds at a time (a
        # full garbage collection over millions of records), and at uvicorn's default of 5
        # a worker loading a million events was killed and restarted, over and over.
        timeout_worker_healthcheck=120,
    )


@main.command()
@seeds_argument
@corpus_option
def validate(seeds: Path | None, corpus: Path | None) -> None:
    """Check a seed folder: schema, ids, references, dates, and every quote verbatim.

    Prints each problem as FILE:LINE: REASON and exits 1 if there is any.
    """
    settings = settings_from(seeds=seeds, corpus=corpus)
    dataset, problems = read_seeds(settings.seeds, settings.corpus)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        err.print(f"[red]{len(problems)} problem(s)[/red] in {settings.seeds}")
        sys.exit(1)
    counts = dataset.counts()
    err.print(
        f"[green]ok[/green]: {settings.seeds}: {counts['event']} events, "
        f"{sum(counts[k] for k in ('person', 'country', 'organization', 'agreement', 'place'))} "
        f"other entities, {counts['document']} documents, {counts['relation']} relations, "
        f"{counts['source']} sources"
    )


@main.command()
@seeds_argument
@corpus_option
@click.option("--from-store", is_flag=True, help="Count what the configured backend holds instead.")
@backend_option
def stats(seeds: Path | None, corpus: Path | None, from_store: bool, backend: str | None) -> None:
    """Counts by kind, of a seed folder or of a store."""
    settings = settings_from(seeds=seeds, corpus=corpus, backend=backend)
    if from_store:

        async def count_store() -> dict[str, int]:
            store = store_for(settings)
            try:
                return await store.stats()
            finally:
                await store.close()

        counts: dict[str, int] = _or_exit(lambda: run(count_store))
        where = f"{settings.backend} store"
    else:
        counts = _or_exit(lambda: load_seeds(settings.seeds, settings.corpus).counts())
        where = str(settings.seeds)
    table = Table(title=f"timeline: {where}")
    table.add_column("kind")
    table.add_column("count", justify="right")
    for kind, count in counts.items():
        table.add_row(kind, str(count))
    out.print(table)


@main.command()
def schema() -> None:
    """Print the GraphQL schema (SDL) the service serves."""
    from timeline.api.schema import sdl

    click.echo(sdl())


@main.command()
def migrate() -> None:
    """Apply the Neo4j schema (the constraints and indexes the package ships), idempotently."""
    settings = settings_from(backend="neo4j")

    async def apply() -> list[str]:
        from timeline.stores.neo4j import Neo4jStore

        store = Neo4jStore(**settings.neo4j_options())
        try:
            applied = await store.migrate()
            # a graph loaded before search indexed venues and positions gets them now
            if indexed := await store.index_context():
                applied.append(f"// search context indexed for {indexed} entities")
            return applied
        finally:
            await store.close()

    applied = _or_exit(lambda: run(apply))
    for statement in applied:
        err.print(f"applied: {statement}", markup=False, highlight=False)
    if not applied:
        err.print("schema up to date: every migration was applied before", highlight=False)


@main.command()
@seeds_argument
@corpus_option
@backend_option
def load(seeds: Path | None, corpus: Path | None, backend: str | None) -> None:
    """Validate a seed folder and load it into the store, replacing what it held.

    Nothing is loaded if the seeds have any problem; a failed load leaves the store as it was.
    """
    settings = settings_from(seeds=seeds, corpus=corpus, backend=backend or "neo4j")
    dataset = _or_exit(lambda: load_seeds(settings.seeds, settings.corpus))

    async def replace() -> dict[str, int]:
        store = store_for(settings)
        try:
            await store.load(dataset)
            return await store.stats()
        finally:
            await store.close()

    counts = _or_exit(lambda: run(replace))
    err.print(f"[green]loaded[/green] into {settings.backend}: {counts}")


@main.command("audit")
@backend_option
@click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    help="Memory backend: the seed folder whose journal holds the log [default: seeds].",
)
@corpus_option
@click.option(
    "--out", "-o", type=click.Path(path_type=Path), help="Where to write [default: stdout]."
)
def audit(backend: str | None, seeds: Path | None, corpus: Path | None, out: Path | None) -> None:
    """Export the store's audit log of curation writes as JSON Lines, oldest first.

    The log lives in the store (Neo4j: AuditEntry nodes; memory: the journal), whichever
    replica took each write.
    """
    import json

    settings = settings_from(seeds=seeds, corpus=corpus, backend=backend or "neo4j")

    async def entries() -> list[dict[str, Any]]:
        if settings.backend == "memory":
            from timeline.stores.journal import JournaledStore

            dataset = _or_exit(lambda: load_seeds(settings.seeds, settings.corpus))
            store: Store = JournaledStore(settings.journal_path(), dataset)
            await store.open()  # type: ignore[attr-defined]
        else:
            store = store_for(settings)
        try:
            found: list[dict[str, Any]] = []
            before: int | None = None
            while True:
                page = await store.audit_page(1000, before)
                found += page.entries
                if not page.has_next or not page.entries:
                    break
                before = int(page.entries[-1]["seq"])
            found.reverse()
            return found
        finally:
            await store.close()

    lines = [
        json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        for entry in _or_exit(lambda: run(entries))
    ]
    text = "".join(line + "\n" for line in lines)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"{len(lines)} audit entries written to {out}")


def _or_exit(action: Callable[[], T]) -> T:
    """Run ``action``; turn the errors a user can act on into a message and exit 1."""
    try:
        return action()
    except SeedError as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        err.print(f"[red]{len(exc.problems)} problem(s)[/red]: nothing loaded")
    except StoreError as exc:
        err.print(f"[red]store error[/red]: {exc}")
    sys.exit(1)


@main.command("export")
@click.argument(
    "fmt", metavar="FORMAT", type=click.Choice(["graphml", "gexf", "json", "csv", "seeds"])
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Where to write [default: standard output]. For seeds: a folder, or an archive "
    "ending in .zip, .tar, .tar.gz or .tgz.",
)
@click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    help="Seed folder the memory backend exports [env TIMELINE_SEEDS; default seeds].",
)
@corpus_option
@backend_option
@click.option(
    "--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="Only events on or after this day."
)
@click.option(
    "--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Only events on or before this day."
)
@click.option("--involving", multiple=True, help="Only events involving this id; repeatable (all).")
@click.option(
    "--involving-mode",
    type=click.Choice(["all", "direct"]),
    default="all",
    show_default=True,
    help="How far --involving reaches: all (held there, position holders and organizations "
    "of it took part, sub-events) or direct (linked to it, or with a sub-event that is), "
    "as involvingMode in the API.",
)
@click.option(
    "--category", "categories", multiple=True, help="Only this category; repeatable (any)."
)
@click.option("--text", help="Only events with this text in a name, alias or description.")
@click.option(
    "--status",
    type=click.Choice(["occurred", "planned"]),
    help="Only events that occurred, or only those a text announces as planned.",
)
def export_graph(
    fmt: str,
    out: Path | None,
    seeds: Path | None,
    corpus: Path | None,
    backend: str | None,
    start: Any,
    end: Any,
    involving: tuple[str, ...],
    involving_mode: str,
    categories: tuple[str, ...],
    text: str | None,
    status: str | None,
) -> None:
    """Export the graph as FORMAT: graphml, gexf (Gephi), json (networkx node-link),
    csv (a zip of nodes, edges and documents) or seeds (YAML that validates and loads).

    With filters, the export holds the matching events, every entity linked to them and
    the relations among those (docs/research.md). Reads the seed folder, or the
    configured Neo4j with --backend neo4j.
    """
    from timeline.model.involvement import Mode
    from timeline.model.records import Dataset
    from timeline.services import export as exports

    settings = settings_from(seeds=seeds, corpus=corpus, backend=backend)
    filters = exports.ExportFilters(
        start=start.date() if start else None,
        end=end.date() if end else None,
        involving=involving,
        categories=categories,
        text=text,
        mode=Mode(involving_mode.upper()),
        status=status,
    )
    if out is None and (fmt == "seeds" or (fmt == "csv" and sys.stdout.isatty())):
        raise click.UsageError(f"{fmt} exports are a folder or an archive: give --out")

    async def read() -> Dataset:
        store = store_for(settings)
        try:
            if settings.backend == "memory":
                await store.load(load_seeds(settings.seeds, settings.corpus))
            return await exports.select(store, filters)
        finally:
            await store.close()

    dataset = _or_exit(lambda: run(read))
    corpus_folder = settings.corpus or exports.seed_corpus(settings.seeds)
    suffix = exports.archive_suffix(out) if out else None
    if out is not None and fmt == "seeds" and suffix is None:
        exports.write_seed_folder(dataset, out, corpus_folder)
    else:
        chunks = exports.export(dataset, fmt, corpus=corpus_folder, archive=suffix or ".zip")
        if out is None:
            stdout = sys.stdout.buffer
            for chunk in chunks:
                stdout.write(chunk)
            stdout.flush()
        else:
            exports.write_export(chunks, out)
    counts = dataset.counts()
    err.print(
        f"[green]exported[/green] {fmt}: {len(dataset.entities)} entities "
        f"({counts['event']} events), {counts['relation']} relations, "
        f"{counts['document']} documents to {out or 'standard output'}",
        soft_wrap=True,
    )


@main.command()
@click.option("--events", type=click.IntRange(min=1), required=True, help="How many events.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the dataset as a seed folder here.",
)
@click.option("--load", "load_into", is_flag=True, help="Load it into the configured store.")
@backend_option
def synth(events: int, seed: int, out: Path | None, load_into: bool, backend: str | None) -> None:
    """Make a deterministic synthetic dataset shaped like the real graph, for benchmarks.

    Writes it in the seed format (--out DIR) and/or loads it straight into a store (--load,
    Neo4j by default), reporting relationships per second.
    """
    import time

    from timeline.services.export import write_seed_folder
    from timeline.services.synth import synthesize

    if out is None and not load_into:
        raise click.UsageError("say where the dataset goes: --out DIR and/or --load")
    started = time.perf_counter()
    dataset = synthesize(events=events, seed=seed)
    counts = dataset.counts()
    err.print(f"synthesized {counts} in {time.perf_counter() - started:.1f}s")
    if out is not None:
        write_seed_folder(dataset, out)
        err.print(f"wrote seed files to {out}")
    if load_into:
        settings = settings_from(backend=backend or "neo4j")

        async def load_synthetic() -> float:
            store = store_for(settings)
            try:
                began = time.perf_counter()
                await store.load(dataset)
                return time.perf_counter() - began
            finally:
                await store.close()

        seconds = _or_exit(lambda: run(load_synthetic))
        rate = counts["relation"] / seconds if seconds else float("inf")
        err.print(
            f"loaded into {settings.backend} in {seconds:.1f}s: "
            f"{counts['relation']} relationships, {rate:,.0f} relationships/s"
        )


@main.group()
def keys() -> None:
    """API keys for curation (write) and the audit log (admin); docs/security.md."""


@keys.command("new")
@click.option("--name", required=True, help="Who holds the key (recorded in the audit log).")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(["read", "write", "admin"]),
    help="A scope to grant; repeatable. Every key may read.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "toml"]),
    default="yaml",
    show_default=True,
    help="The keys file's format.",
)
def keys_new(name: str, scopes: tuple[str, ...], fmt: str) -> None:
    """Make a new random key: prints the key (once: only its hash is kept) and the entry
    to add to the keys file (TIMELINE_API_KEYS_FILE)."""
    from timeline.api.auth import key_entry, new_key

    key = new_key()
    entry = key_entry(name, key, scopes, fmt)
    click.echo(key)
    click.echo(entry, nl=False)
    err.print(
        "\nThe first line is the key: give it to its holder, who sends it as "
        "'Authorization: Bearer <key>'. It is not stored anywhere and cannot be shown again. "
        f"Add the {'[[keys]] table' if fmt == 'toml' else 'entry under keys:'} to the keys "
        "file and restart the service.",
        soft_wrap=True,
    )


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", required=True, help="The article's title.")
@click.option("--published", required=True, help="Its date, EDTF: 2024-02-28, 2024-02 or 2024.")
@click.option("--publisher", help="Who published it.")
@click.option("--url", help="Where it was published.")
@click.option(
    "--language",
    type=click.Choice(["en", "es"]),
    default="en",
    show_default=True,
    help="Its language.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write [default: standard output].",
)
@click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    help="Seed folder of the graph to link against (memory backend) [env TIMELINE_SEEDS].",
)
@corpus_option
@backend_option
def ingest(
    file: Path,
    title: str,
    published: str,
    publisher: str | None,
    url: str | None,
    language: str,
    fmt: str,
    out: Path | None,
    seeds: Path | None,
    corpus: Path | None,
    backend: str | None,
) -> None:
    """Read a plain-text article (UTF-8, English or Spanish) and write the facts it
    suggests, each with its verbatim quote, as proposals for review (docs/ingest.md).

    The graph is only read: nothing is added until a curator accepts a proposal.
    """
    import json

    import yaml
    from pydantic import ValidationError

    from timeline.model.dates import DateError, parse_date
    from timeline.model.proposals import DocumentMeta
    from timeline.services.ingest import DocumentError, GraphView, decode_text, ingest_text

    settings = settings_from(seeds=seeds, corpus=corpus, backend=backend)
    try:
        parse_date(published)
        meta = DocumentMeta(
            title=title, published=published, publisher=publisher, url=url, language=language
        )
        data = file.read_bytes()
        text = decode_text(data, settings.max_document_chars)
    except (OSError, DocumentError, DateError, ValidationError) as exc:
        err.print(f"[red]cannot ingest {file}[/red]: {exc}", markup=True, highlight=False)
        sys.exit(1)

    if settings.backend == "memory":
        dataset = _or_exit(lambda: load_seeds(settings.seeds, settings.corpus))
    else:

        async def read() -> Any:
            store = store_for(settings)
            try:
                return await store.dump()
            finally:
                await store.close()

        dataset = _or_exit(lambda: run(read))
    proposals = ingest_text(text, meta, GraphView(dataset), max_chars=settings.max_document_chars)
    body = proposals.model_dump(mode="json")
    rendered = (
        json.dumps(body, ensure_ascii=False, indent=2) + "\n"
        if fmt == "json"
        else yaml.safe_dump(body, allow_unicode=True, sort_keys=False)
    )
    if out is None:
        click.echo(rendered, nl=False)
    else:
        out.write_text(rendered, encoding="utf-8")
    counts: dict[str, int] = {}
    for item in proposals.items:
        counts[item.kind.value.lower()] = counts.get(item.kind.value.lower(), 0) + 1
    err.print(f"[green]{len(proposals.items)} proposals[/green] {counts}; the graph is unchanged")


@main.command("ingest-eval")
@click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    help="Seed folder [env TIMELINE_SEEDS; default seeds].",
)
@corpus_option
def ingest_eval(seeds: Path | None, corpus: Path | None) -> None:
    """Leave-one-document-out evaluation of ingest over the seeds' documents: precision
    and recall of mentions, facts and event dates (docs/ingest.md)."""
    from timeline.services.export import seed_corpus
    from timeline.services.ingest.evaluate import evaluate, format_table

    settings = settings_from(seeds=seeds, corpus=corpus)
    dataset = _or_exit(lambda: load_seeds(settings.seeds, settings.corpus))
    folder = settings.corpus or seed_corpus(settings.seeds)
    if folder is None:
        err.print("[red]no corpus folder[/red]: give --corpus")
        sys.exit(1)
    click.echo(format_table(evaluate(dataset, Path(folder))))


if __name__ == "__main__":
    main()
