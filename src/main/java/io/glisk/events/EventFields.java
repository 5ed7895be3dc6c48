package io.glisk.events;

import java.util.Map;

/** A message body that knows which of its facts belong in a log event's fields. */
public interface EventFields {

    Map<String, Object> eventFields();
}
