-- Whether some task is still held with this lease token (an attempt still running, or not yet rescued).
SELECT COUNT(*) FROM tasks WHERE lease_token = @token;
