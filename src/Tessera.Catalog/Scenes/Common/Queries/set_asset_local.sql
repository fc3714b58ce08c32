-- Where an asset lies once downloaded (null: no longer here), with its size and checksum when now known.
UPDATE catalog_assets SET local_path = @local, size = COALESCE(@size, size), checksum = COALESCE(@checksum, checksum)
WHERE key = @key AND item_key = (SELECT key FROM catalog_items WHERE collection_id = @collection AND id = @id);
