-- What the caller was told when the task was added (inputs that look like unscaled digital numbers), one per line.
ALTER TABLE tasks ADD COLUMN warnings TEXT;
