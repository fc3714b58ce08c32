SELECT id, owner, name, request, created_at FROM ingestions WHERE (@owner = '' OR owner = @owner) ORDER BY id DESC LIMIT 200;
