-- Nothing to do: SQLite's writers take turns already (write transactions begin IMMEDIATE).
SELECT 1;
