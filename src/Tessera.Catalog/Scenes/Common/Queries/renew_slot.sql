UPDATE download_slots SET expires_at = {now} + @lease WHERE id = @id;
