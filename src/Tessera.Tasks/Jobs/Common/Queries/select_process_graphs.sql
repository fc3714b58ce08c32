SELECT owner, id, process, created, updated FROM openeo_process_graphs WHERE owner = @owner ORDER BY id LIMIT @limit;
