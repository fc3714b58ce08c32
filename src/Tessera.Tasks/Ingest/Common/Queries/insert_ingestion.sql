INSERT INTO ingestions (owner, name, request, created_at) VALUES (@owner, @name, @request, @now) RETURNING id;
