"""strawberry schema extensions of the GraphQL endpoint."""
