SELECT id, owner, name, request, created_at FROM ingestions WHERE id = @id;
