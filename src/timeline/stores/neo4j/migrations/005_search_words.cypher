// Search candidates for the shared ranking rule (timeline.model.search): each entity's
// search_words, its name, aliases, acronym, category and description already cut into
// folded words, so Lucene's words are exactly the rule's ("whitespace" splits, nothing else).
CREATE FULLTEXT INDEX entity_words IF NOT EXISTS
FOR (n:Entity) ON EACH [n.search_words]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}};
