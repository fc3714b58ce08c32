-- A user's process stored, or replaced whole (it keeps the time it was first stored).
INSERT INTO openeo_process_graphs (owner, id, process, created, updated) VALUES (@owner, @id, @process, @now, @now)
ON CONFLICT (owner, id) DO UPDATE SET process = excluded.process, updated = excluded.updated;
