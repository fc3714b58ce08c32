-- Set when someone asks to cancel a task in progress; its worker sees it within a fraction of a second.
ALTER TABLE tasks ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
