INSERT INTO ingestions (owner, name, request, created_at, kind) VALUES (@owner, @name, @request, @now, @kind) RETURNING id;
