"""The API-key scopes as strawberry permissions: ``field(permission_classes=[CanWrite])``.

A field with one answers only callers whose key holds the scope (``timeline.api.auth``);
others get the field's error ``UNAUTHENTICATED`` (no key, or an unknown one) or
``FORBIDDEN`` (a valid key without the scope), and the resolver does not run. The field
is then null as any failed field is (``fail_silently`` stays off: a non-null field's null
reaches its parent, as a resolver's error would).
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from strawberry import Info
from strawberry.permission import BasePermission

from timeline.api.auth import AccessDenied, require
from timeline.api.errors import ClientError

__all__ = ["CanAdmin", "CanRead", "CanWrite", "ScopeRequired"]

logger = logging.getLogger("timeline.curation")


class ScopeRequired(BasePermission):
    """The caller's key must hold :attr:`scope`."""

    scope: ClassVar[str]

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        # The error says which of two things is wrong, and names the key: it is raised
        # here, where the caller is known (``on_unauthorized`` gets no ``info``), as the
        # project's ClientError so the error policy gives it its code.
        try:
            require(info.context.caller, self.scope)
        except AccessDenied as exc:
            logger.warning("refused %s: %s", info.field_name, exc)
            raise ClientError(exc.code, str(exc)) from None
        return True


class CanRead(ScopeRequired):
    message = "This needs an API key with the 'read' scope."
    scope = "read"


class CanWrite(ScopeRequired):
    message = "This needs an API key with the 'write' scope."
    scope = "write"


class CanAdmin(ScopeRequired):
    message = "This needs an API key with the 'admin' scope."
    scope = "admin"
