package io.glisk.provider;

import java.net.URI;

/** Same scheme, host and port: where a credential may go, and which answers we may follow. */
public final class Origins {

    private Origins() {
    }

    public static boolean same(URI origin, String scheme, String host, int port) {
        return origin != null && scheme != null && host != null && origin.getScheme() != null && origin.getHost() != null
                && scheme.equalsIgnoreCase(origin.getScheme())
                && host.equalsIgnoreCase(origin.getHost())
                && effectivePort(scheme, port) == effectivePort(origin.getScheme(), origin.getPort());
    }

    public static boolean same(URI origin, URI uri) {
        return uri != null && same(origin, uri.getScheme(), uri.getHost(), uri.getPort());
    }

    private static int effectivePort(String scheme, int port) {
        return port >= 0 ? port : "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
