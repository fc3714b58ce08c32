-- A scheduled harvest not seen before: due at once.
INSERT INTO harvest_schedule (name, last_run) VALUES (@name, 0) ON CONFLICT (name) DO NOTHING;
