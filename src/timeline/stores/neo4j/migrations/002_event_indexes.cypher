// The timeline filters and orders events by day span (ISO strings sort as days), category
// and series; these range indexes serve the date windows, category filters and series walks.
CREATE INDEX event_start IF NOT EXISTS FOR (e:Event) ON (e.start);
CREATE INDEX event_end IF NOT EXISTS FOR (e:Event) ON (e.end);
CREATE INDEX event_category IF NOT EXISTS FOR (e:Event) ON (e.category);
CREATE INDEX event_series IF NOT EXISTS FOR (e:Event) ON (e.series);
// Loads find stale nodes by their load generation.
CREATE INDEX entity_gen IF NOT EXISTS FOR (n:Entity) ON (n.gen);
