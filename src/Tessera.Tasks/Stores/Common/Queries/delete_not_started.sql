DELETE FROM tasks WHERE id = @id AND status = 0;
