-- Held until the transaction ends: workers taking a slot of one provider take turns.
SELECT pg_advisory_xact_lock(hashtext(CAST(@provider AS TEXT)));
