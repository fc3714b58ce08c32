DELETE FROM openeo_job_logs WHERE job_id = @job;
