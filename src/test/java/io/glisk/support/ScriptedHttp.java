package io.glisk.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * A provider's HTTP endpoint in a route test: it takes the place of the route's HTTP call and answers what the
 * test scripted, in order (a status and body, as the HTTP component leaves them on the message, or a connection
 * error), then {@code otherwise}. It keeps what each request carried.
 */
public final class ScriptedHttp implements Processor {

    /** One request as the route sent it (a body that is not text, such as a multipart form, is null). */
    public record Request(long nanoTime, String method, String uri, String path, String body) {
    }

    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Answer otherwise;

    private record Answer(int status, String body, String retryAfter, IOException failure) {
    }

    /** Answers 200 with {@code okBody} once the script is played. */
    public ScriptedHttp(String okBody) {
        this.otherwise = new Answer(200, okBody, null, null);
    }

    public ScriptedHttp answer(int status, String body) {
        return answer(status, body, null);
    }

    public ScriptedHttp answer(int status, String body, String retryAfter) {
        script.add(new Answer(status, body, retryAfter, null));
        return this;
    }

    /** The next request fails before any answer, as a refused connection or a timeout does. */
    public ScriptedHttp fail(IOException failure) {
        script.add(new Answer(0, null, null, failure));
        return this;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Milliseconds between request {@code i - 1} and request {@code i}. */
    public long millisBefore(int i) {
        List<Request> all = requests();
        return (all.get(i).nanoTime() - all.get(i - 1).nanoTime()) / 1_000_000;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        requests.add(new Request(System.nanoTime(), message.getHeader(Exchange.HTTP_METHOD, String.class),
                message.getHeader(Exchange.HTTP_URI, String.class), message.getHeader(Exchange.HTTP_PATH, String.class),
                message.getBody(String.class)));
        Answer scripted = script.poll();
        Answer answer = scripted == null ? otherwise : scripted;
        if (answer.failure() != null) {
            throw answer.failure();
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        if (answer.retryAfter() != null) {
            message.setHeader("Retry-After", answer.retryAfter());
        }
        message.setBody(answer.body());
    }
}
