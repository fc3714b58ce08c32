INSERT INTO openeo_services (id, owner, type, title, description, process, enabled, configuration, plan, budget, log_level, created, updated)
VALUES (@id, @owner, @type, @title, @description, @process, @enabled, @configuration, @plan, @budget, @log_level, @now, @now);
