-- A task waiting without a lease for a process worker: DOWNLOADED (handed over) or PROCESSING_COMPLETED (a publish
-- retry). The claim's waiting side.
status IN (2, 3) AND lease_token IS NULL
