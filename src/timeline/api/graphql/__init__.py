"""The GraphQL schema: the public contract (``tests/contract/schema.graphql``) and a few
additions (``claims``, ``series``, ``orgType``, ``agreementType``, ``placeType``, relation
``title``/``start``/``end``, ``Query.stats`` and ``Query.dataVersion``; the research fields
``communities``, ``egoNetwork``, ``officeHolders``, ``entityTimeline``,
``Person.positions(asOf:)`` and ``GraphEdge.sources``).

Types wrap the store's records; resolvers reach data only through the request's loaders
(:mod:`timeline.api.loaders`) or one store call per root field, and argument limits come
from :class:`timeline.config.Settings`.
"""
