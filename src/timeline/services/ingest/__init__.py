"""Ingest: an article in, reviewed, quoted fact proposals out (see docs/ingest.md)."""

from timeline.services.ingest.document import DocumentError, decode_text
from timeline.services.ingest.pipeline import GraphView, ingest_text

__all__ = ["DocumentError", "GraphView", "decode_text", "ingest_text"]
