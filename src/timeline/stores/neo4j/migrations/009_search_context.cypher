// Search candidates found through the graph around an entity too: context_words holds the
// words of an event's venues and of a person's positions (set by a load, and by each write
// for what it touches), so that Lucene can be asked for the entities with every query word.
// The index is rebuilt over both properties; a graph loaded before it is given its
// context_words by Neo4jStore.index_context (run after the migrations).
DROP INDEX entity_words IF EXISTS;
CREATE FULLTEXT INDEX entity_words IF NOT EXISTS
FOR (n:Entity) ON EACH [n.search_words, n.context_words]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}};
