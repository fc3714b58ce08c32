SELECT * FROM catalog_collections WHERE id = @id;
