-- Takes a scheduled harvest's run when it is due (its last run at or before @due): one row changed for the one caller
-- that takes it, none for any other.
UPDATE harvest_schedule SET last_run = @now WHERE name = @name AND last_run <= @due;
