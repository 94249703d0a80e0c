// Large loads write a new generation beside the one being read, then repoint Meta: the same
// id exists once per generation, so identity becomes (id, gen). Reads look nodes up by both
// (this constraint's index); old generations are deleted by gen (entity_gen, document_gen).
DROP CONSTRAINT entity_id IF EXISTS;
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE (n.id, n.gen) IS UNIQUE;
DROP CONSTRAINT document_id IF EXISTS;
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE (n.id, n.gen) IS UNIQUE;
CREATE INDEX document_gen IF NOT EXISTS FOR (n:Document) ON (n.gen);
CREATE CONSTRAINT load_gen IF NOT EXISTS FOR (n:Load) REQUIRE n.gen IS UNIQUE;
