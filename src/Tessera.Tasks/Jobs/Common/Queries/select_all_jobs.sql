SELECT id, owner, title, description, process, plan, budget, created, updated, task_id, user_processes FROM openeo_jobs
ORDER BY created DESC, id LIMIT @limit;
