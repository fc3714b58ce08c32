INSERT INTO openeo_service_logs (service_id, seq, level, message, time)
VALUES (@service, (SELECT COALESCE(MAX(seq), 0) + 1 FROM openeo_service_logs WHERE service_id = @service), @level, @message, @now);
