INSERT INTO openeo_jobs (id, owner, title, description, process, plan, budget, created, updated, task_id)
VALUES (@id, @owner, @title, @description, @process, @plan, @budget, @now, @now, NULL);
