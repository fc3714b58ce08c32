SELECT seq, level, message, time FROM openeo_job_logs WHERE job_id = @job AND seq > @after ORDER BY seq LIMIT @limit;
