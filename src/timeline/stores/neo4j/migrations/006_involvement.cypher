// timeline(involving: [country]) finds the places and organizations that record a country
// (their `country` attribute counts as located in it); these indexes serve that lookup.
CREATE INDEX place_country IF NOT EXISTS FOR (p:Place) ON (p.country);
CREATE INDEX organization_country IF NOT EXISTS FOR (o:Organization) ON (o.country);
