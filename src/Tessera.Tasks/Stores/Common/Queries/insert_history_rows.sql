-- Several history entries at once; /*rows*/ becomes "(@task_id, @from0, @to0, @at, @attempt, @error0, @actor), ..."
-- built by the store from that one fixed tuple (never text from a caller).
INSERT INTO task_status_history (task_id, from_status, to_status, at, attempt, error_message, actor)
VALUES /*rows*/;
