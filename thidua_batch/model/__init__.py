"""What flows through a run: findings (`findings`: codes, severities, places) and the results
(`results`: cells, nominations, one file's result, each unit's result, the batch result)."""
