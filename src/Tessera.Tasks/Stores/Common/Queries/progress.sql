UPDATE tasks SET progress_stage = @stage, progress_done = @done, progress_total = @total, updated_at = @now
WHERE id = @id AND lease_token = @token;
