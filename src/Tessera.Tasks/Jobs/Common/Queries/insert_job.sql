INSERT INTO openeo_jobs (id, owner, title, description, process, plan, budget, created, updated, task_id, user_processes)
VALUES (@id, @owner, @title, @description, @process, @plan, @budget, @now, @now, NULL, @user_processes);
