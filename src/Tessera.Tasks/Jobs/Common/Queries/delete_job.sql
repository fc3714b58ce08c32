DELETE FROM openeo_jobs WHERE id = @id;
