DELETE FROM catalog_items WHERE task_id = @task;
