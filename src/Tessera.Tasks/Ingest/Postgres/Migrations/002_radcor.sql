-- The collection builder's dispatches (POST /api/radcor, action start) are ingestions of kind 'radcor': their tasks
-- are its activities, each a step ('download', 'correction', 'publish', ...) writing into a catalog collection.
ALTER TABLE ingestions ADD COLUMN kind TEXT NOT NULL DEFAULT 'ingest';
ALTER TABLE ingestion_tasks ADD COLUMN collection TEXT;
