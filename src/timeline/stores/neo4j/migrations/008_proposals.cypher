// Proposal sets (timeline ingest): one node per set, its JSON in `body`. Not part of the
// graph: no Entity or Document label, so no graph query, load or dump sees them.
CREATE CONSTRAINT proposal_set_id IF NOT EXISTS FOR (n:ProposalSet) REQUIRE n.id IS UNIQUE;
