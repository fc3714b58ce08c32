SELECT id, owner, title, description, process, plan, budget, created, updated, task_id, user_processes FROM openeo_jobs WHERE id = @id;
