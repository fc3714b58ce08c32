-- Ends an expired lease: back to NOT_STARTED, or into the stage's failure when the attempts are spent.
UPDATE tasks
SET status = @to, error_message = @error, updated_at = @now,
    lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = @from;
