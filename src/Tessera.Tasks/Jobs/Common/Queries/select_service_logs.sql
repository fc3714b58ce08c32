SELECT seq, level, message, time FROM openeo_service_logs WHERE service_id = @service AND seq > @after ORDER BY seq LIMIT @limit;
