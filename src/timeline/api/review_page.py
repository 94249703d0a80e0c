"""The review page (``/review``): an ingested article, its mentions highlighted, each
proposal beside its sentence, accept / edit / reject (``static/review.js``, over GraphQL
with a ``write`` key the reviewer types in; the page itself holds no data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

if TYPE_CHECKING:
    from timeline.api.pages import Pages

__all__ = ["REVIEW_QUERIES", "review_route"]

_ITEM = (
    "id kind status reason confidence entity name entityKind proposedId acronym context edtf "
    "precision relative relation subject object role basis note category participants place "
    "quote { start end spanStart spanEnd }"
)
REVIEW_QUERIES = {
    "list": "query { proposals { id title published created items { id status } } }",
    "set": (
        "query($id: ID!) { proposalSet(id: $id) { id title published text documentId "
        f"items {{ {_ITEM} }} }} }}"
    ),
    "accept": (
        "mutation($id: ID!, $edits: JSON) { acceptProposal(id: $id, edits: $edits) "
        "{ changed dataVersion proposal { id status } } }"
    ),
    "reject": (
        "mutation($id: ID!, $reason: String!) { rejectProposal(id: $id, reason: $reason) "
        "{ id status reason } }"
    ),
    "ingest": "mutation($input: IngestInput!) { ingest(input: $input) { id items { id } } }",
}


def review_route(pages: Pages) -> Route:
    from timeline.api.pages import COMMON_HEADERS, _csp

    async def review(request: Request) -> Response:
        config = {
            "graphql": f"{request.scope.get('root_path', '')}/graphql",
            "queries": REVIEW_QUERIES,
        }
        body = pages.env.get_template("review.html").render(config=config)
        headers = {
            **COMMON_HEADERS,
            "Content-Security-Policy": _csp("'none'"),
            "X-Frame-Options": "DENY",
            "Cache-Control": "no-store",
        }
        return HTMLResponse(body, headers=headers)

    return Route("/review", pages.guarded(review, html=True), methods=["GET"], name="review")
