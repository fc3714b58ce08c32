INSERT INTO tasks (name, type, owner, inputs, output_folder, output_name, parameters, status, attempts, created_at, updated_at,
                   idempotency_key, request_digest, warnings)
VALUES (@name, @type, @owner, @inputs, @output_folder, @output_name, @parameters, 0, 0, @now, @now, @idempotency_key, @request_digest,
        @warnings)
RETURNING *;
