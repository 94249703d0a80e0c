// Search candidates: names and aliases (a list of strings), tokenised and folded so that
// "Bogota" finds "Bogotá"; fuzzy terms (~) then find typos. Results are rescored in Python.
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (n:Entity) ON EACH [n.name, n.aliases]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}};
