"""Settings, from the environment (``TIMELINE_*``, ``NEO4J_*``) and then CLI flags.

A leaf module: everything else may import it; it imports nothing of timeline's.

>>> Settings(backend="memory").port
8000
"""

from __future__ import annotations

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

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
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

    def neo4j_options(self) -> dict[str, str]:
        """Keyword arguments for the Neo4j store."""
        return {
            "uri": self.neo4j_uri,
            "user": self.neo4j_user,
            "password": self.neo4j_password.get_secret_value(),
            "database": self.neo4j_database,
        }
