// Search candidates also from the names the sources give in other languages (name_texts,
// a list of strings beside the localized_names JSON): "Centros de Atención a Personas
// Migrantes" finds the Guatemalan centres as an alias would.
DROP INDEX entity_names IF EXISTS;
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (n:Entity) ON EACH [n.name, n.aliases, n.name_texts]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}};
