SELECT id, owner, type, title, description, process, enabled, configuration, plan, budget, log_level, created, updated, user_processes
FROM openeo_services ORDER BY created DESC, id LIMIT @limit;
