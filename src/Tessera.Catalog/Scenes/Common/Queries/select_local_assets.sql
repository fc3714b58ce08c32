-- Every asset that lies on this machine, with its item's collection and id.
SELECT i.collection_id AS collection, i.id AS item, a.key AS asset, a.local_path AS local_path
FROM catalog_assets a JOIN catalog_items i ON i.key = a.item_key
WHERE a.local_path IS NOT NULL
ORDER BY i.collection_id, i.id, a.key;
