-- Its items and their assets go with it (ON DELETE CASCADE).
DELETE FROM catalog_collections WHERE id = @id;
