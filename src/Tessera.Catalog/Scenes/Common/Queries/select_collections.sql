-- Every collection, in listing order.
SELECT * FROM catalog_collections ORDER BY rank, id;
