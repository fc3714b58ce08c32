-- When each scheduled harvest of the harvest configuration last ran (Unix milliseconds): the one place every server
-- agrees on, so that a harvest due is queued once, whichever server sees it first.
CREATE TABLE harvest_schedule (
    name     TEXT   PRIMARY KEY,
    last_run BIGINT NOT NULL
);
