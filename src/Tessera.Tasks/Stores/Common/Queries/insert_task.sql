INSERT INTO tasks (name, type, owner, inputs, output_folder, output_name, parameters, status, attempts, created_at, updated_at)
VALUES (@name, @type, @owner, @inputs, @output_folder, @output_name, @parameters, 0, 0, @now, @now)
RETURNING *;
