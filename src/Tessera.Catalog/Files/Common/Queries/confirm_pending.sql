-- Makes a produced file visible; run inside the transaction that publishes its task.
UPDATE files SET pending_token = NULL WHERE id = @id AND pending_token = @token;
