-- The tasks held by the workers of one process (their ids start with the process's prefix), whatever their leases' expiry.
SELECT * FROM tasks
WHERE lease_token IS NOT NULL AND substr(lease_owner, 1, length(@owner_prefix)) = @owner_prefix
ORDER BY id FOR UPDATE SKIP LOCKED;
