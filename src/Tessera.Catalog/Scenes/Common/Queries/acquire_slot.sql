-- A slot of @provider when fewer than @max are held (after lock_provider: the count and the insert are one step among
-- all workers).
INSERT INTO download_slots (id, provider, expires_at)
SELECT CAST(@id AS TEXT), CAST(@provider AS TEXT), {now} + CAST(@lease AS BIGINT)
WHERE (SELECT COUNT(*) FROM download_slots WHERE provider = CAST(@provider AS TEXT) AND expires_at > {now}) < CAST(@max AS BIGINT);
