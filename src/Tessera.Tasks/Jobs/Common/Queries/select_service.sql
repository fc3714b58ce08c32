SELECT id, owner, type, title, description, process, enabled, configuration, plan, budget, log_level, created, updated
FROM openeo_services WHERE id = @id;
