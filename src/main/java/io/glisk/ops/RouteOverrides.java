package io.glisk.ops;

import io.glisk.events.PipelineEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.event.Level;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Route files in GLISK_ROUTES_DIR change the running service without a rebuild or a restart: a route there
 * replaces the packaged route of the same id, or is added when its id is new. Each file is applied when it
 * appears or changes, one route at a time (the others keep running). A file that does not parse, or a route
 * that cannot start, is rejected with a log line and the previous version of that route keeps running.
 * Removing a file (or a route from it) brings the packaged route back.
 */
@Component
public class RouteOverrides implements CamelContextConfiguration, DisposableBean {

    /** A route that had no packaged version: reverting it means removing it. */
    private static final RouteDefinition NONE = new RouteDefinition();

    private final Path directory;
    private final long pollMillis;
    private final Map<Path, Long> seen = new HashMap<>();
    private final Map<Path, Set<String>> routesByFile = new HashMap<>();
    private final Map<String, RouteDefinition> packaged = new HashMap<>();
    private ModelCamelContext camel;
    private ScheduledExecutorService watcher;

    RouteOverrides(@Value("${glisk.routes-dir:}") String directory, @Value("${glisk.routes-poll-millis:2000}") long pollMillis) {
        this.directory = directory == null || directory.isBlank() ? null : Path.of(directory).toAbsolutePath();
        this.pollMillis = pollMillis;
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        // the packaged routes start as usual; overrides replace them once the context runs
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
        if (directory == null) {
            return;
        }
        camel = (ModelCamelContext) context;
        if (!Files.isDirectory(directory)) {
            PipelineEvents.event(Level.WARN, "routes.override_dir_missing").addKeyValue("dir", directory).log();
        }
        scan();
        watcher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("glisk-route-overrides").factory());
        watcher.scheduleWithFixedDelay(this::scan, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Applies new and changed files, reverts the routes of removed ones. */
    synchronized void scan() {
        Map<Path, Long> current = new HashMap<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).toList()) {
                    current.put(file, Files.getLastModifiedTime(file).toMillis() ^ Files.size(file));
                }
            } catch (IOException e) {
                PipelineEvents.event(Level.WARN, "routes.override_dir_unreadable").addKeyValue("dir", directory)
                        .addKeyValue("error", e.getMessage()).log();
                return;
            }
        }
        for (Map.Entry<Path, Long> file : current.entrySet()) {
            if (!file.getValue().equals(seen.get(file.getKey()))) {
                apply(file.getKey());
            }
        }
        for (Path gone : new ArrayList<>(seen.keySet())) {
            if (!current.containsKey(gone)) {
                routesByFile.getOrDefault(gone, Set.of()).forEach(this::revert);
                routesByFile.remove(gone);
            }
        }
        seen.clear();
        seen.putAll(current);
    }

    private void apply(Path file) {
        List<RouteDefinition> routes;
        try {
            routes = parse(file);
        } catch (Exception e) {
            PipelineEvents.event(Level.ERROR, "routes.override_rejected").addKeyValue("file", file)
                    .addKeyValue("error", rootMessage(e)).log();
            return;
        }
        Set<String> applied = new HashSet<>();
        for (RouteDefinition route : routes) {
            if (replace(file, route)) {
                applied.add(route.getRouteId());
            }
        }
        // routes the file no longer defines go back to their packaged version
        for (String dropped : routesByFile.getOrDefault(file, Set.of())) {
            if (routes.stream().noneMatch(r -> dropped.equals(r.getRouteId()))) {
                revert(dropped);
            }
        }
        Set<String> defined = new HashSet<>(routesByFile.getOrDefault(file, Set.of()));
        defined.retainAll(routes.stream().map(RouteDefinition::getRouteId).toList());
        defined.addAll(applied);
        routesByFile.put(file, defined);
    }

    private List<RouteDefinition> parse(Path file) throws Exception {
        List<RouteDefinition> routes = new ArrayList<>();
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(
                ResourceHelper.fromString(file.toUri().toString(), Files.readString(file)))) {
            if (builder instanceof RouteBuilder routeBuilder) {
                for (RouteDefinition route : routeBuilder.configureRoutes(camel).getRoutes()) {
                    if (route.getRouteId() == null || route.getRouteId().isBlank()) {
                        throw new IllegalArgumentException("every route of an override file needs an id");
                    }
                    routes.add(route);
                }
            }
        }
        return routes;
    }

    /** Swaps one route, keeping the one it replaces when the new one cannot start. */
    private boolean replace(Path file, RouteDefinition route) {
        String id = route.getRouteId();
        RouteDefinition previous = camel.getRouteDefinition(id);
        packaged.putIfAbsent(id, previous == null ? NONE : previous);
        try {
            if (previous != null) {
                camel.removeRouteDefinition(previous);
            }
            camel.addRouteDefinition(route);
            PipelineEvents.event(Level.WARN, "routes.override_applied").addKeyValue("file", file).addKeyValue("route_id", id)
                    .addKeyValue("replaced", previous != null).log();
            return true;
        } catch (Exception e) {
            PipelineEvents.event(Level.ERROR, "routes.override_rejected").addKeyValue("file", file)
                    .addKeyValue("route_id", id).addKeyValue("error", rootMessage(e)).log();
            restore(id, previous);
            return false;
        }
    }

    private void revert(String id) {
        RouteDefinition original = packaged.remove(id);
        if (original == null) {
            return;
        }
        restore(id, original == NONE ? null : original);
        PipelineEvents.event(Level.WARN, "routes.override_reverted").addKeyValue("route_id", id).log();
    }

    private void restore(String id, RouteDefinition definition) {
        try {
            RouteDefinition current = camel.getRouteDefinition(id);
            if (current != null) {
                camel.removeRouteDefinition(current);
            }
            if (definition != null) {
                camel.addRouteDefinition(definition);
            }
        } catch (Exception e) {
            PipelineEvents.event(Level.ERROR, "routes.override_restore_failed").addKeyValue("route_id", id)
                    .addKeyValue("error", rootMessage(e)).log();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }

    @Override
    public void destroy() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
