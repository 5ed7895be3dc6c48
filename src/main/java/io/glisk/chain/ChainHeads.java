package io.glisk.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.events.PipelineEvents;
import io.glisk.settings.InvalidSettingsException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.event.Level;
import org.springframework.context.SmartLifecycle;

/**
 * New blocks as the node pushes them: a WebSocket subscription ({@code eth_subscribe "newHeads"}), each of whose
 * notifications has the chain's idle polls look at once ({@link ChainPolls#chainMoved()}). While it holds, a poll
 * that found nothing sleeps up to {@link ChainPolls#PUSHED_IDLE_WAIT} instead of its own idle pace, so an idle service
 * asks the node next to nothing, and still sees a mint sent by any tool as soon as its block exists.
 *
 * <p>When the socket fails, closes or the node refuses the subscription, the polls go back to their own pace at once
 * and the subscription is tried again after 1, 2, 4 … {@link #MAX_RETRY_WAIT}. A ping every 30 s finds a connection
 * that died without a word. Nothing here names the URL: a provider's holds its API key.
 */
public class ChainHeads implements SmartLifecycle {

    static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(60);
    private static final Duration FIRST_RETRY_WAIT = Duration.ofSeconds(1);
    private static final String SUBSCRIBE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final ChainPolls polls;
    private OkHttpClient http;
    private ScheduledExecutorService retries;
    private WebSocket socket;
    private Duration retryWait = FIRST_RETRY_WAIT;
    private boolean running;
    /** Whether the loss of the subscription was logged: once, until it holds again. */
    private boolean lossLogged;

    /** {@code url}: the node's {@code ws://} or {@code wss://} endpoint. */
    public ChainHeads(String url, ChainPolls polls) {
        // checked here, once: a URL OkHttp refuses would otherwise fail each retry on a thread no one watches
        if (!url.matches("wss?://\\S+") || HttpUrl.parse(url.replaceFirst("^ws", "http")) == null) {
            throw new InvalidSettingsException("CHAIN_WS_URL is not a ws:// or wss:// URL (not shown: it may hold a key)");
        }
        this.url = url;
        this.polls = polls;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ZERO)
                .pingInterval(Duration.ofSeconds(30)).followRedirects(false).build();
        retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "glisk-chain-heads");
            thread.setDaemon(true);
            return thread;
        });
        connect();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (socket != null) {
            socket.cancel();
            socket = null;
        }
        retries.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        polls.headsPushed(false);
        // a poll asleep for the pushed pace takes up its own again
        polls.chainMoved();
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    private synchronized void connect() {
        if (running) {
            socket = http.newWebSocket(new Request.Builder().url(url).build(), new Listener());
        }
    }

    /** The socket {@code from} is gone: polls at their own pace from now, and a new subscription later. */
    private void lost(WebSocket from, String reason) {
        Duration wait;
        boolean log;
        synchronized (this) {
            if (from != socket || !running) {
                return;
            }
            socket = null;
            polls.headsPushed(false);
            wait = retryWait;
            retryWait = retryWait.multipliedBy(2).compareTo(MAX_RETRY_WAIT) < 0 ? retryWait.multipliedBy(2) : MAX_RETRY_WAIT;
            retries.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
            log = !lossLogged;
            lossLogged = true;
        }
        if (log) {
            PipelineEvents.event(Level.WARN, "chain.heads_lost").addKeyValue("error", reason)
                    .addKeyValue("retry_in_seconds", wait.toSeconds()).log();
        }
        polls.chainMoved();
    }

    private final class Listener extends WebSocketListener {

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            webSocket.send(SUBSCRIBE);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (IOException notJson) {
                refuse(webSocket, "the node sent something that is not JSON");
                return;
            }
            if ("eth_subscription".equals(message.path("method").asText())) {
                String number = message.path("params").path("result").path("number").asText("");
                if (number.matches("0x[0-9a-fA-F]{1,15}")) {
                    polls.pushed(Long.parseLong(number.substring(2), 16));
                }
                polls.chainMoved();
            } else if (message.path("id").asInt() == 1 && message.path("result").isTextual()) {
                synchronized (ChainHeads.this) {
                    if (webSocket != socket || !running) {
                        return;
                    }
                    retryWait = FIRST_RETRY_WAIT;
                    lossLogged = false;
                    polls.headsPushed(true);
                }
                PipelineEvents.event(Level.INFO, "chain.heads_subscribed").log();
                // whatever happened while nothing was pushed
                polls.chainMoved();
            } else if (message.path("id").asInt() == 1) {
                refuse(webSocket, "the node refused eth_subscribe: " + message.path("error").path("message").asText("no reason"));
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            lost(webSocket, "the node closed the socket (" + code + ")");
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
            lost(webSocket, PipelineEvents.failure(failure));
        }

        private void refuse(WebSocket webSocket, String reason) {
            webSocket.cancel();
            lost(webSocket, reason);
        }
    }
}
