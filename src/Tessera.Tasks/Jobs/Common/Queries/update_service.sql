-- What PATCH may change: everything but the owner, the type and the creation time.
UPDATE openeo_services SET title = @title, description = @description, process = @process, enabled = @enabled,
    configuration = @configuration, plan = @plan, budget = @budget, log_level = @log_level, user_processes = @user_processes, updated = @now
WHERE id = @id;
