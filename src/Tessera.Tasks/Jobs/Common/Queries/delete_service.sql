DELETE FROM openeo_services WHERE id = @id;
