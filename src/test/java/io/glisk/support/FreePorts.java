package io.glisk.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TCP ports for the servers a test starts (the service, anvil, PostgreSQL, simulators), free when handed out.
 *
 * <p>They come from below the kernel's ephemeral range (32768 and up on Linux) on purpose: a port the kernel
 * picks with {@code bind(0)} is closed again before the server binds it, and in that gap any outgoing
 * connection (a JDBC pool filling up, an HTTP client) may take it as its local port, so the server then fails
 * with "address in use". Ports below the range are never given to outgoing connections. Each JVM (there are two
 * test JVMs side by side) starts at a random place and never hands out the same port twice.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final int COUNT = 22_000;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(COUNT));

    private FreePorts() {
    }

    /** A port nothing listens on now, on any address, that this JVM has not handed out before. */
    public static int next() {
        for (int tried = 0; tried < COUNT; tried++) {
            int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), COUNT);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free TCP port between " + LOWEST + " and " + (LOWEST + COUNT));
    }

    private static boolean bindable(int port) {
        // the wildcard and the loopback address: some servers bind one, some the other
        for (InetAddress address : new InetAddress[] {null, InetAddress.getLoopbackAddress()}) {
            try (ServerSocket ignored = new ServerSocket(port, 1, address)) {
                // bound, so free
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
