DELETE FROM catalog_items WHERE collection_id = @collection AND id = @id;
