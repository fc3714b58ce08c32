SELECT * FROM tasks WHERE owner = @owner AND idempotency_key = @idempotency_key;
