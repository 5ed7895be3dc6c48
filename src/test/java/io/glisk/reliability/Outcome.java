package io.glisk.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scenario found: its checks (each passed or not, with what was seen) and its figures. */
final class Outcome {

    record Check(String name, boolean passed, String detail) {
    }

    private final String scenario;
    private final String shows;
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private double seconds;
    private String error;
    private String phase;

    Outcome(String scenario, String shows) {
        this.scenario = scenario;
        this.shows = shows;
    }

    String scenario() {
        return scenario;
    }

    /** Checks and figures from now on belong to this part of the scenario (null: to the whole scenario again). */
    void phase(String phase) {
        this.phase = phase;
        if (phase != null) {
            System.out.println(" " + phase);
        }
    }

    void check(String name, boolean passed, Object detail) {
        checks.add(new Check(phase == null ? name : phase + ": " + name, passed, String.valueOf(detail)));
        System.out.printf("  [%s] %s — %s%n", passed ? "pass" : "FAIL", name, detail);
    }

    @SuppressWarnings("unchecked")
    void figure(String name, Object value) {
        if (phase == null) {
            figures.put(name, value);
        } else {
            ((Map<String, Object>) figures.computeIfAbsent(phase, p -> new LinkedHashMap<String, Object>())).put(name, value);
        }
    }

    Object figure(String name) {
        return figures.get(name);
    }

    /** The scenario could not run to its end: it fails, with the reason. */
    void aborted(Exception e) {
        error = e.toString();
        System.out.println("  [FAIL] scenario aborted: " + error);
    }

    void took(double seconds) {
        this.seconds = seconds;
    }

    boolean passed() {
        return error == null && checks.stream().allMatch(Check::passed);
    }

    void printFailures() {
        if (error != null) {
            System.out.printf("FAILED %s: aborted: %s%n", scenario, error);
        }
        checks.stream().filter(c -> !c.passed())
                .forEach(c -> System.out.printf("FAILED %s: %s — %s%n", scenario, c.name(), c.detail()));
    }

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("scenario", scenario);
        map.put("shows", shows);
        map.put("passed", passed());
        map.put("seconds", Math.round(seconds * 10) / 10.0);
        if (error != null) {
            map.put("error", error);
        }
        map.put("figures", figures);
        map.put("checks", checks.stream().map(c -> Map.of("name", c.name(), "passed", c.passed(), "detail", c.detail()))
                .toList());
        return map;
    }
}
