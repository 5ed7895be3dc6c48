-- What the image API billed for a call, added to the task at once: billed is billed, whatever happens next.
UPDATE avatar_tasks
   SET input_tokens = input_tokens + CAST(:#${variable.usage.inputTokens()} AS bigint),
       output_tokens = output_tokens + CAST(:#${variable.usage.outputTokens()} AS bigint),
       total_tokens = total_tokens + CAST(:#${variable.usage.totalTokens()} AS bigint)
 WHERE task_key = :#task_key
