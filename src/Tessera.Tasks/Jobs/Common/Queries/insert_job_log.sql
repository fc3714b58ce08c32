INSERT INTO openeo_job_logs (job_id, seq, level, message, time)
VALUES (@job, (SELECT COALESCE(MAX(seq), 0) + 1 FROM openeo_job_logs WHERE job_id = @job), @level, @message, @now);
