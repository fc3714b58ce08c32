SELECT id, owner, type, title, description, process, enabled, configuration, plan, budget, log_level, created, updated, user_processes
FROM openeo_services WHERE owner = @owner ORDER BY created DESC, id LIMIT @limit;
