-- A job's description and graph, while it has not been started.
UPDATE openeo_jobs SET title = @title, description = @description, process = @process, plan = @plan, budget = @budget,
    user_processes = @user_processes, updated = @now
WHERE id = @id;
