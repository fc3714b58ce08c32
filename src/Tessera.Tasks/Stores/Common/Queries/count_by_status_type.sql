SELECT status, type, COUNT(*) FROM tasks GROUP BY status, type ORDER BY status, type;
