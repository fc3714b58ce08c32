-- The slot, and every slot whose hold lapsed (their workers died).
DELETE FROM download_slots WHERE id = @id OR expires_at <= {now};
