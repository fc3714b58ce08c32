INSERT INTO openeo_services (id, owner, type, title, description, process, enabled, configuration, plan, budget, log_level, user_processes, created, updated)
VALUES (@id, @owner, @type, @title, @description, @process, @enabled, @configuration, @plan, @budget, @log_level, @user_processes, @now, @now);
