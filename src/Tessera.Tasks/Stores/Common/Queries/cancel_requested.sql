SELECT cancel_requested FROM tasks WHERE id = @id AND lease_token = @token;
