// Curation state kept in the database (not on an API machine's disk): the audit log, one
// node per entry numbered in write order, and the full texts of curated documents, outside
// the load generations (a load does not drop them), looked up by document id.
CREATE CONSTRAINT audit_seq IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.seq IS UNIQUE;
CREATE CONSTRAINT curated_text_id IF NOT EXISTS FOR (n:CuratedText) REQUIRE n.id IS UNIQUE;
