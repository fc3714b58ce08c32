-- A task given back until a time (Unix milliseconds): a provider said its input is not available yet. Not claimed before.
ALTER TABLE tasks ADD COLUMN not_before INTEGER;
