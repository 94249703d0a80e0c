"""Settings, from the environment (``TIMELINE_*``, ``NEO4J_*``) and then CLI flags.

A leaf module: everything else may import it; it imports nothing of timeline's.

>>> Settings(backend="memory").port
8000
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Every setting the service reads. Environment names are ``TIMELINE_<FIELD>``, except
    the Neo4j connection, which uses Neo4j's usual ``NEO4J_URI``, ``NEO4J_USER``,
    ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``."""

    model_config = SettingsConfigDict(env_prefix="TIMELINE_", extra="ignore", frozen=True)

    backend: Literal["memory", "neo4j"] = "memory"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    #: The seed folder loaded at start by the memory backend (Neo4j is loaded with `timeline load`).
    seeds: Path = Path("seeds")
    #: The folder of document texts for quote checks; default: the seeds' dataset.yaml says.
    corpus: Path | None = None
    #: Origins allowed by CORS, comma-separated; "*" for any.
    cors_origins: Annotated[list[str], NoDecode] = ["*"]
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    #: CSP frame-ancestors of the embeds: who may put them in an <iframe> ("*": anyone).
    embed_frame_ancestors: str = "*"

    # Limits on what one request may ask for.
    max_page: int = Field(default=100, ge=1)
    max_depth: int = Field(default=3, ge=1)
    max_path_length: int = Field(default=10, ge=1)
    max_query_depth: int = Field(default=12, ge=2)
    max_tokens: int = Field(default=2000, ge=50)
    max_aliases: int = Field(default=30, ge=1)
    max_ids: int = Field(default=50, ge=1)
    #: Longest string value (argument literal or variable), in characters.
    max_string_length: int = Field(default=1000, ge=1)
    #: Most field selections a query may make once its fragments are expanded.
    max_selections: int = Field(default=2000, ge=1)

    # Hostile-input guards (docs/security.md).
    #: Deadline of each store call, in seconds; past it the query answers TIMEOUT.
    store_timeout: float = Field(default=5.0, gt=0)
    #: Deadline shared by all the store calls of one GraphQL operation, in seconds.
    request_timeout: float = Field(default=10.0, gt=0)
    #: How GraphQL queries run: "planned" compiles each validated query once and runs the
    #: plan (timeline.api.execution); "reference" is graphql-core's field-by-field executor.
    executor: Literal["planned", "reference"] = "planned"
    #: Answers to queries kept per worker, keyed on the data version (0 turns it off).
    response_cache_size: int = Field(default=512, ge=0)
    # HTTP caching (timeline.api.httpcache, timeline.api.persisted; docs/api.md).
    #: Cache-Control max-age of GET queries, embeds and timeline.json, in seconds (browsers).
    cache_max_age: int = Field(default=300, ge=0)
    #: Cache-Control s-maxage, in seconds (CDNs and shared caches).
    cache_s_maxage: int = Field(default=600, ge=0)
    #: Cache-Control stale-while-revalidate, in seconds.
    cache_stale_while_revalidate: int = Field(default=60, ge=0)
    #: Seconds after the store last answered during which answers held for its last data
    #: version are served stale when it cannot be reached (advertised as stale-if-error).
    cache_stale_if_error: int = Field(default=3600, ge=0)
    #: Rendered embeds and timeline.json answers each worker holds for serving stale.
    stale_pages_size: int = Field(default=256, ge=0)
    #: Documents each worker keeps for Apollo's automatic persisted queries (0: APQ off).
    persisted_queries_size: int = Field(default=1000, ge=0)
    #: A manifest of trusted documents: only those run (keys with write/admin excepted).
    trusted_documents: Path | None = None
    #: Requests per second allowed to one client (token bucket); 0 turns rate limiting off.
    rate_limit: float = Field(default=10.0, ge=0)
    #: Requests one client may send at once before the rate applies (the bucket's size).
    rate_burst: int = Field(default=40, ge=1)
    #: Rate-limit loopback clients too (they are exempt by default).
    rate_limit_loopback: bool = False
    #: Proxies (addresses or CIDR networks, comma-separated) whose X-Forwarded-For is believed.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    #: Largest request body (and query string), in bytes.
    max_body_bytes: int = Field(default=100_000, ge=1024)

    # Curation: API keys, the audit log, curated document texts (docs/security.md).
    #: A YAML or TOML file of API keys (name, hash, scopes); see ``timeline keys new``.
    api_keys_file: Path | None = None
    #: API keys given inline: the keys file's content as YAML or JSON (a list of keys).
    api_keys: str | None = None
    #: Make reading private: every GraphQL request and page then needs a key (any scope).
    read_requires_key: bool = False
    #: Where the texts of documents added by curation are written (``<slug>.txt``).
    curation_dir: Path = Path(".timeline/documents")
    #: The append-only JSON Lines audit log of curation writes.
    audit_log: Path = Path(".timeline/audit.jsonl")
    #: The memory backend's journal of curation writes (appended and fsync-ed before a write
    #: answers, replayed on start, followed by every worker); default ``<seeds>/.journal.jsonl``.
    journal: Path | None = None
    #: Keep the memory backend's writes in the journal; off: they last as long as the process.
    journal_enabled: bool = True
    #: Longest document text a curation write may carry, in characters (writers only:
    #: above ``max_string_length``, which still bounds everyone else's strings).
    max_document_chars: int = Field(default=1_000_000, ge=1)

    neo4j_uri: str = Field(
        default="bolt://127.0.0.1:7687", validation_alias=AliasChoices("NEO4J_URI", "neo4j_uri")
    )
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "neo4j_user")
    )
    neo4j_password: SecretStr = Field(
        default=SecretStr("timeline-dev"),
        validation_alias=AliasChoices("NEO4J_PASSWORD", "neo4j_password"),
    )
    neo4j_database: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "neo4j_database")
    )

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # a ValueError names the bad entry
        return value

    def to_environment(self) -> dict[str, str]:
        """Every setting as the environment variable that would set it (paths made
        absolute), so worker processes started later read the same settings."""
        environment = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, Path):
                value = value.resolve()
            elif isinstance(value, SecretStr):
                value = value.get_secret_value()
            elif isinstance(value, list):
                value = ",".join(value)
            alias = field.validation_alias
            key = (
                alias.choices[0] if isinstance(alias, AliasChoices) else f"TIMELINE_{name.upper()}"
            )
            environment[str(key)] = str(value)
        return environment

    def journal_path(self) -> Path:
        """Where the memory backend's journal is (``journal``, else beside the seeds)."""
        return self.journal if self.journal is not None else self.seeds / ".journal.jsonl"

    def neo4j_options(self) -> dict[str, str]:
        """Keyword arguments for the Neo4j store."""
        return {
            "uri": self.neo4j_uri,
            "user": self.neo4j_user,
            "password": self.neo4j_password.get_secret_value(),
            "database": self.neo4j_database,
        }
