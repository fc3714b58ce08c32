DELETE FROM openeo_service_logs WHERE service_id = @service;
