-- Vector files (zones: GeoJSON, GeoPackage, zipped shapefiles) are stored too: what they hold, as JSON (null for
-- rasters and tables).
ALTER TABLE files ADD COLUMN vector TEXT;
