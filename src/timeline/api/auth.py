"""Access control: API keys with scopes, sent as ``Authorization: Bearer <key>``.

Scopes are ``read``, ``write`` (curation mutations) and ``admin`` (the audit log). Every
valid key may read; ``write`` and ``admin`` are granted one by one. Reading is public
unless ``read_requires_key`` is set; then every GraphQL request and every page needs a
valid key (``/healthz``, ``/readyz`` and the static files stay open).

Keys are stored only as hashes: ``sha256:<hex>`` of the key. A key is 32 random bytes
(256 bits, from :mod:`secrets`), so a fast hash is enough: nobody can search a space of
2**256 keys, which is what slow password hashes (scrypt, argon2) make expensive for
guessable passwords; and a fast hash keeps checking a key on every request cheap. A
presented key is hashed and compared with EVERY stored hash with
:func:`hmac.compare_digest`, without stopping at a match, so the time taken tells
nothing about which hash, or how much of one, matched.

Keys come from the file ``api_keys_file`` (``TIMELINE_API_KEYS_FILE``; YAML, or TOML when
the name ends in ``.toml``) and from ``api_keys`` (``TIMELINE_API_KEYS``: the same content
as YAML or JSON), both read once at start; a bad entry stops the start with its reason::

    keys:
      - name: curator-alice
        hash: sha256:5f0c...
        scopes: [write]

The caller is resolved once per request by :class:`KeyRingBackend`, a Starlette
``AuthenticationBackend`` run by Starlette's ``AuthenticationMiddleware`` (see
:func:`authentication`): the caller is ``request.user`` and its scopes ``request.auth.scopes``;
it reaches resolvers as ``info.context.caller``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import Response

from timeline.config import Settings

__all__ = [
    "ANONYMOUS",
    "SCOPES",
    "AccessDenied",
    "ApiKey",
    "Caller",
    "KeyRing",
    "KeyRingBackend",
    "KeysError",
    "ReadingRefused",
    "authentication",
    "caller_of",
    "hash_key",
    "key_entry",
    "load_keys",
    "new_key",
    "parse_keys",
]

Scope_ = Literal["read", "write", "admin"]
SCOPES: tuple[str, ...] = ("read", "write", "admin")
#: Every key starts with this, so a leaked one is easy to recognise (and to scan for).
KEY_PREFIX = "tlk_"
HASH_PREFIX = "sha256:"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
#: Paths open to everyone even when reading is private.
OPEN_PATHS = ("/healthz", "/readyz", "/static/")


class KeysError(ValueError):
    """The API keys configuration is wrong; the service does not start."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One configured key: who holds it, the hash of the key, what it may do."""

    name: str
    digest: str  # hex SHA-256 of the key
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Caller(BaseUser):
    """Who sent a request: a key's name and scopes, or nobody (``name`` None); Starlette's
    ``request.user``.

    ``presented`` is True when the request carried credentials, valid or not.
    """

    name: str | None
    scopes: frozenset[str]
    presented: bool = False

    @property
    def authenticated(self) -> bool:
        return self.name is not None

    @property
    def is_authenticated(self) -> bool:
        return self.name is not None

    @property
    def display_name(self) -> str:
        return self.name or ""

    @property
    def identity(self) -> str:
        return self.name or ""

    def may(self, scope: str) -> bool:
        return scope in self.scopes


ANONYMOUS = Caller(name=None, scopes=frozenset({"read"}))


class AccessDenied(Exception):
    """The caller may not do this: ``code`` is UNAUTHENTICATED (no or unknown key) or
    FORBIDDEN (a valid key without the scope)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def require(caller: Caller, scope: str) -> None:
    """Raise :class:`AccessDenied` unless the caller holds ``scope``."""
    if caller.may(scope):
        return
    if not caller.authenticated:
        reason = "the API key is not valid" if caller.presented else "no API key was sent"
        raise AccessDenied(
            UNAUTHENTICATED,
            f"This needs an API key with the '{scope}' scope ({reason}); send it as "
            "'Authorization: Bearer <key>'.",
        )
    raise AccessDenied(FORBIDDEN, f"The API key '{caller.name}' lacks the '{scope}' scope.")


# --- keys ------------------------------------------------------------------------------------


def new_key() -> str:
    """A new random key: 32 bytes from the OS's CSPRNG, URL-safe, with a recognisable prefix."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """What the keys file stores for a key: ``sha256:<hex>``."""
    return HASH_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_entry(name: str, key: str, scopes: Iterable[str], fmt: str = "yaml") -> str:
    """The keys-file entry for a key (YAML list item, or a TOML ``[[keys]]`` table)."""
    wanted = [s for s in SCOPES if s in set(scopes)]
    if fmt == "toml":
        return (
            f"[[keys]]\nname = {json.dumps(name)}\nhash = {json.dumps(hash_key(key))}\n"
            f"scopes = {json.dumps(wanted)}\n"
        )
    return (
        f"  - name: {json.dumps(name)}\n    hash: {hash_key(key)}\n"
        f"    scopes: [{', '.join(wanted)}]\n"
    )


class _KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$")]
    hash: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]
    scopes: Annotated[list[Scope_], Field(min_length=1)]


def parse_keys(data: Any, source: str) -> list[ApiKey]:
    """Keys from parsed YAML/TOML/JSON: a mapping ``{keys: [...]}`` or the list itself."""
    if isinstance(data, Mapping):
        unknown = set(data) - {"keys"}
        if unknown:
            raise KeysError(f"{source}: unknown top-level key(s) {sorted(unknown)}; use 'keys'")
        data = data.get("keys") or []
    if data is None:
        return []
    if not isinstance(data, list):
        raise KeysError(f"{source}: expected a list of keys (name, hash, scopes)")
    keys: list[ApiKey] = []
    for index, item in enumerate(data):
        try:
            entry = _KeyIn.model_validate(item)
        except ValidationError as exc:
            reasons = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise KeysError(f"{source}: key {index}: {reasons}") from None
        digest = entry.hash.removeprefix(HASH_PREFIX)
        keys.append(ApiKey(entry.name, digest, frozenset(entry.scopes) | {"read"}))
    return keys


def _read_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KeysError(f"cannot read the API keys file {path}: {exc.strerror}") from None
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise KeysError(f"{path}: not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}") from None


def load_keys(settings: Settings) -> KeyRing:
    """The keys the settings configure (file and environment), checked."""
    keys: list[ApiKey] = []
    if settings.api_keys_file is not None:
        keys += parse_keys(_read_file(settings.api_keys_file), str(settings.api_keys_file))
    if settings.api_keys:
        try:
            inline = yaml.safe_load(settings.api_keys)
        except yaml.YAMLError as exc:
            raise KeysError(f"TIMELINE_API_KEYS: not valid YAML or JSON: {exc}") from None
        keys += parse_keys(inline, "TIMELINE_API_KEYS")
    return KeyRing(keys)


class KeyRing:
    """The configured keys; resolves a presented key in constant time."""

    def __init__(self, keys: Sequence[ApiKey] = ()) -> None:
        names: set[str] = set()
        digests: set[str] = set()
        for key in keys:
            if key.name in names:
                raise KeysError(f"two API keys are named {key.name!r}")
            if key.digest in digests:
                raise KeysError(f"the API key {key.name!r} has the hash of another key")
            names.add(key.name)
            digests.add(key.digest)
        self.keys = tuple(keys)

    def __len__(self) -> int:
        return len(self.keys)

    def resolve(self, presented: str) -> ApiKey | None:
        """The key whose hash is the presented key's, comparing with every key's hash."""
        candidate = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).hexdigest()
        found: ApiKey | None = None
        for key in self.keys:  # no early exit: the same work whichever key matches
            if hmac.compare_digest(candidate, key.digest):
                found = key
        return found

    def caller(self, authorization: str | None, read_is_public: bool) -> Caller:
        """The caller for an ``Authorization`` header value (or its absence)."""
        if authorization is None:
            return ANONYMOUS if read_is_public else Caller(None, frozenset())
        scheme, _, token = authorization.strip().partition(" ")
        key = self.resolve(token.strip()) if scheme.lower() == "bearer" and token else None
        if key is None:
            scopes = frozenset({"read"}) if read_is_public else frozenset()
            return Caller(None, scopes, presented=True)
        return Caller(key.name, key.scopes, presented=True)


# --- Starlette authentication ----------------------------------------------------------------


class ReadingRefused(AuthenticationError):
    """Reading is private (``read_requires_key``) and the request has no valid key."""

    def __init__(self, caller: Caller) -> None:
        reason = "the API key is not valid" if caller.presented else "no API key was sent"
        super().__init__(
            f"Reading needs an API key ({reason}); send it as 'Authorization: Bearer <key>'."
        )


class KeyRingBackend(AuthenticationBackend):
    """The caller of every HTTP (and WebSocket) request, from its ``Authorization`` header;
    when reading is private, :class:`ReadingRefused` for a request without a valid key
    (but not on :data:`OPEN_PATHS`)."""

    def __init__(self, keys: KeyRing, read_is_public: bool) -> None:
        self.keys = keys
        self.public = read_is_public

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        authorization: str | None = None
        for name, value in conn.scope.get("headers") or ():
            if name == b"authorization":  # the first one, as Starlette's Headers.get
                authorization = value.decode("latin-1")
                break
        caller = self.keys.caller(authorization, self.public)
        if not (
            self.public or caller.authenticated or conn.scope.get("path", "").startswith(OPEN_PATHS)
        ):
            raise ReadingRefused(caller)
        return AuthCredentials(sorted(caller.scopes)), caller


def refuse_reading(conn: HTTPConnection, exc: AuthenticationError) -> Response:
    """``AuthenticationMiddleware``'s answer to :class:`ReadingRefused`: 401, the code
    ``UNAUTHENTICATED`` and a ``WWW-Authenticate`` challenge. (A WebSocket is closed.)"""
    body = json.dumps({"errors": [{"message": str(exc), "extensions": {"code": UNAUTHENTICATED}}]})
    return Response(
        body,
        401,
        headers={"www-authenticate": 'Bearer realm="timeline"'},
        media_type="application/json",
    )


def authentication(settings: Settings, keys: KeyRing | None = None) -> Middleware:
    """Starlette's ``AuthenticationMiddleware`` with the configured keys (read now: a bad
    entry stops the start with its reason)."""
    backend = KeyRingBackend(
        keys if keys is not None else load_keys(settings), not settings.read_requires_key
    )
    return Middleware(AuthenticationMiddleware, backend=backend, on_error=refuse_reading)


def caller_of(request: Any) -> Caller:
    """The caller :class:`KeyRingBackend` resolved for this request (``request.user``; the
    anonymous reader if the authentication middleware did not run)."""
    user = getattr(request, "scope", {}).get("user")
    return user if isinstance(user, Caller) else ANONYMOUS
