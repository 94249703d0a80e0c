"""The Neo4j backend: the same answers as the memory store, from a Neo4j 5 graph.

Graph model
    Every entity is a node labelled ``Entity`` and its kind (``Event``, ``Person``,
    ``Country``, ``Organization``, ``Agreement``, ``Place``); documents are ``Document``
    nodes. Scalars are properties; a date is stored as its EDTF text plus its first and last
    ISO day and precision (an entity's ``date`` as ``edtf``/``start``/``end``/``precision``,
    any other date ``<field>_edtf``, ``<field>_start`` ...), so records rebuild exactly and
    day windows compare as strings. Sources are parallel lists (``source_docs``,
    ``source_quotes``, so "every fact from document X" is a list lookup, and
    ``source_bases`` / ``source_notes`` only where some source is inferred or has a
    note), claims a JSON
    string. Derived search fields: ``folded`` (folded names) and, on events, ``search_text``.
    Relations are relationships typed with the relation type (from the ``RELATION_TYPES``
    whitelist) carrying ``id``, ``type``, ``role``, ``title``, dates and sources. Each node
    and relationship has ``seq`` (its place in the loaded dataset, so dumps come back in
    order) and ``gen`` (the load that wrote it). One ``(:Meta {key: 'data'})`` node holds
    the data version (``Dataset.version()``), the load generation and the entity count.

Schema
    ``timeline/stores/neo4j/migrations/NNN_*.cypher`` (package data), applied in order by
    :meth:`Neo4jStore.migrate` with ``IF NOT EXISTS`` and recorded on ``(:Migration {name})``
    nodes; :meth:`load` migrates first, so a fresh database works without a separate
    ``timeline migrate``.

Loading: all or nothing, by generation
    Every load writes a NEW generation (a fresh ``gen``, recorded on a ``(:Load {gen})``
    node) beside the current one: entities and documents are CREATEd (one UNWIND
    statement per label, answering the new nodes' element ids), then relationships (one
    statement per type, flat list rows, both ends matched by element id, each batch sorted
    by start node). Identity is (id, gen) (``004_generations.cypher``), and every read
    starts from ``Meta.gen`` (:data:`GEN`): nodes are looked up by (id, gen), label scans
    filter on ``gen``, and relationships only ever join nodes of one generation. When the
    whole generation is written, one small transaction repoints ``Meta`` (version, gen,
    entity count, longest event span) at it: readers switch from the old graph to the new
    one at that commit and never see a half-written one. The old generation is then
    deleted in batches (``CALL ... IN TRANSACTIONS``). A dataset of at most
    ``SINGLE_TRANSACTION_ROWS`` rows is written, flipped and committed in ONE transaction
    (``BATCH_SIZE`` rows a statement); a larger one in transactions of ``LARGE_BATCH_SIZE``
    rows, ``WRITERS`` sessions at a time, with a progress bar (rows/s) on a terminal, while
    a forked child computes ``Dataset.version()``. If anything fails, the new generation is
    deleted (or, after a crash, by the next load) and the old one never stopped answering.
    One load at a time: a load deletes every generation but the current one when it starts.
    Relationships carry ``id``, ``seq``, ``role``, ``title``, dates and sources; their type
    is the relationship type. Every transaction and statement of a load (the one small-load
    transaction, each batch, each generation delete) runs with ``LOAD_TIMEOUT``: the
    server's default timeout (10 s on the launcher) is a deadline for requests, and a
    generation delete or a 200 000-row transaction takes longer than that.

Curation writes: all or nothing, in place
    :meth:`apply` writes a ``ChangeSet`` into the CURRENT generation in ONE write
    transaction: it first locks ``Meta`` (so writes serialise with each other and with a
    load's flip) and checks ``base_version``, MERGEs documents and entities by (id, gen)
    (``SET n = row``: a replaced node keeps its ``seq``, a new one gets a sequence number
    above any a load gives, so dumps list it last), deletes removed relationships, MERGEs
    added ones by (ends, type, id) and checks every one was written (an end that does not
    exist fails the write), then sets ``Meta.version`` to ``next_version(old, changes)``.
    Any failure, a crash included, rolls the whole transaction back. Finding a removed
    relationship by id scans the generation's relationships (no index on relationship ids):
    milliseconds at curated scale. A load started during a write waits for it at its flip,
    and then replaces everything, the write included.

Search
    Ranking is the shared rule (``timeline.model.search``), run in Python on candidates from
    Neo4j, in one round trip: the ``entity_words`` full-text index (``whitespace`` analyzer
    over ``search_words``, the rule's own folded words of the entity, and ``context_words``,
    those of its venues and positions) is asked for each query word as an exact, a prefix
    (``w*``) and a fuzzy term within the rule's typo allowance (``w~1``, ``w~2``); each
    candidate comes with its relation count (importance), the names of its venues (HELD_IN,
    then up to three LOCATED_IN/PART_OF steps) and its positions (HOLDS_POSITION), which
    the rule reads; a candidate whose words cannot match every query word is dropped before
    its record is built (``model.search.matches_every_word``: exactly the rule's own test).
    While the graph holds at most ``scan_limit`` entities every entity the index finds for
    any query word is scored, with the events held in the places and countries it finds and
    the people holding positions in the countries and organizations it finds, so answers are
    those of the memory store. Above that, Lucene is asked only for the entities with every
    query word among their own and their context words (the rule drops any other), the best
    ``SEARCH_CANDIDATES`` (or five per hit asked for, if more) by Lucene's score: bounded
    cost; an entity among very many sharing the query's words can be missed.

    ``context_words`` is written by a load for every entity and, by each curation write, for
    what the write may change, in the write's own transaction: its entities; the subjects of
    the HELD_IN and HOLDS_POSITION relations it adds or removes; and, for an entity it
    renames or a place it puts in (or takes out of) another with LOCATED_IN or PART_OF, the
    events held there and the people holding positions there. A graph loaded before it existed (no
    ``Meta.search_context``) is searched for any query word, as before, until ``timeline
    migrate`` (``Neo4jStore.index_context``) or a new load gives it its context words.

Round trips
    A read is an auto-commit query: one round trip, where a managed transaction of one
    statement takes two (BEGIN with RUN and PULL, then COMMIT); it is retried on the
    failures the driver calls retryable, within ``retry_seconds``, as the driver retries
    a managed transaction. A write is a managed transaction. One round trip each:
    ``get_nodes``, ``relations``, ``series_neighbors``, ``timeline`` (page, total, both
    page flags and, with ``with_links``, the page's relationships, the nodes at their other
    ends and the documents cited), ``neighbors`` (breadth-first levels unrolled in Cypher),
    ``shortest_path`` (``allShortestPaths`` then the smallest node-id sequence and the
    smallest-key relation per hop), ``common_events``, ``participations``, ``edge_list``,
    ``stats``, ``data_version``, ``ping``, ``search``: 1 each. ``dump``: 3 queries in one
    transaction. ``load``: a ping and a read of the applied migrations, then 1 transaction
    (large: one per batch, then the flip).
    ``allShortestPaths`` enumerates every shortest path before the smallest is picked:
    cheap on this graph, but on a very dense one ``max_length`` is the lever.

Availability
    The driver is created on first use and never connects at construction, so the service
    starts while Neo4j is down; the driver's pool reconnects by itself when it is back.
    Connectivity and authentication failures become :class:`StoreUnavailable`.
"""

from timeline.stores.neo4j.load import BATCH_SIZE
from timeline.stores.neo4j.migrations import MIGRATIONS
from timeline.stores.neo4j.store import Neo4jStore

__all__ = ["BATCH_SIZE", "MIGRATIONS", "Neo4jStore"]
