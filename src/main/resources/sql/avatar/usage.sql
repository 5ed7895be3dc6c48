-- What the image API billed for a call, added to the persona and its task at once: billed is billed, whatever
-- happens next.
WITH persona AS (
    UPDATE avatar_personas
       SET input_tokens = input_tokens + CAST(:#${variable.usage.inputTokens()} AS bigint),
           output_tokens = output_tokens + CAST(:#${variable.usage.outputTokens()} AS bigint),
           total_tokens = total_tokens + CAST(:#${variable.usage.totalTokens()} AS bigint)
     WHERE persona_key = :#persona_key
)
UPDATE avatar_tasks
   SET input_tokens = input_tokens + CAST(:#${variable.usage.inputTokens()} AS bigint),
       output_tokens = output_tokens + CAST(:#${variable.usage.outputTokens()} AS bigint),
       total_tokens = total_tokens + CAST(:#${variable.usage.totalTokens()} AS bigint)
 WHERE task_key = :#task_key
