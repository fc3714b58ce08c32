SELECT id, owner, title, description, process, plan, budget, created, updated, task_id FROM openeo_jobs WHERE id = @id;
