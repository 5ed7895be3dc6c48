package io.glisk.bench;

import java.util.List;
import java.util.Locale;

/** Two kinds of chart, drawn as plain SVG so the report needs no tool to render: lines over time, and a histogram. */
final class Svg {

    private static final int W = 640;
    private static final int H = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 36;
    private static final int BOTTOM = 44;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    record Series(String name, List<double[]> points) {
    }

    private Svg() {
    }

    static String lines(String title, String xLabel, String yLabel, List<Series> series) {
        double maxX = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0]).max().orElse(1);
        double maxY = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[1]).max().orElse(1);
        StringBuilder svg = frame(title, xLabel, yLabel, maxX, niceCeiling(maxY));
        double topY = niceCeiling(maxY);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            StringBuilder path = new StringBuilder();
            for (double[] p : s.points()) {
                path.append(path.isEmpty() ? "M" : " L").append(fmt(x(p[0], maxX))).append(',').append(fmt(y(p[1], topY)));
            }
            String colour = COLOURS[i % COLOURS.length];
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\"/>\n");
            svg.append("<text x=\"").append(LEFT + 10).append("\" y=\"").append(TOP + 16 + 16 * i).append("\" fill=\"")
                    .append(colour).append("\">").append(escape(s.name())).append("</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    /** A histogram of values (milliseconds, say) in {@code bins} equal bins, with p50 and p99 marked. */
    static String histogram(String title, String xLabel, List<Double> values, int bins, double p50, double p99) {
        double maxX = niceCeiling(values.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        int[] counts = new int[bins];
        for (double v : values) {
            counts[Math.min(bins - 1, (int) (v / maxX * bins))]++;
        }
        int maxCount = 0;
        for (int c : counts) {
            maxCount = Math.max(maxCount, c);
        }
        double topY = niceCeiling(maxCount);
        StringBuilder svg = frame(title, xLabel, "tokens", maxX, topY);
        double barWidth = (W - LEFT - RIGHT) / (double) bins;
        for (int i = 0; i < bins; i++) {
            double top = y(counts[i], topY);
            svg.append("<rect x=\"").append(fmt(LEFT + i * barWidth)).append("\" y=\"").append(fmt(top))
                    .append("\" width=\"").append(fmt(Math.max(1, barWidth - 1))).append("\" height=\"")
                    .append(fmt(H - BOTTOM - top)).append("\" fill=\"").append(COLOURS[0]).append("\"/>\n");
        }
        marker(svg, "p50 " + fmt(p50), x(p50, maxX), COLOURS[2]);
        marker(svg, "p99 " + fmt(p99), x(p99, maxX), COLOURS[1]);
        return svg.append("</svg>\n").toString();
    }

    private static void marker(StringBuilder svg, String label, double at, String colour) {
        svg.append("<line x1=\"").append(fmt(at)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(fmt(at))
                .append("\" y2=\"").append(H - BOTTOM).append("\" stroke=\"").append(colour).append("\" stroke-dasharray=\"4 3\"/>\n");
        svg.append("<text x=\"").append(fmt(at + 4)).append("\" y=\"").append(TOP + 12).append("\" fill=\"").append(colour)
                .append("\">").append(escape(label)).append("</text>\n");
    }

    private static StringBuilder frame(String title, String xLabel, String yLabel, double maxX, double maxY) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append("<text x=\"").append(W / 2).append("\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">")
                .append(escape(title)).append("</text>\n")
                .append("<line x1=\"").append(LEFT).append("\" y1=\"").append(H - BOTTOM).append("\" x2=\"").append(W - RIGHT)
                .append("\" y2=\"").append(H - BOTTOM).append("\" stroke=\"black\"/>\n")
                .append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(H - BOTTOM).append("\" stroke=\"black\"/>\n");
        for (int i = 0; i <= 4; i++) {
            double vx = maxX * i / 4;
            double vy = maxY * i / 4;
            svg.append("<text x=\"").append(fmt(x(vx, maxX))).append("\" y=\"").append(H - BOTTOM + 16)
                    .append("\" text-anchor=\"middle\">").append(fmt(vx)).append("</text>\n");
            svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y(vy, maxY) + 4))
                    .append("\" text-anchor=\"end\">").append(fmt(vy)).append("</text>\n");
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(fmt(y(vy, maxY))).append("\" x2=\"")
                    .append(W - RIGHT).append("\" y2=\"").append(fmt(y(vy, maxY))).append("\" stroke=\"#ddd\"/>\n");
        }
        svg.append("<text x=\"").append(W / 2).append("\" y=\"").append(H - 8).append("\" text-anchor=\"middle\">")
                .append(escape(xLabel)).append("</text>\n")
                .append("<text transform=\"translate(14,").append(H / 2).append(") rotate(-90)\" text-anchor=\"middle\">")
                .append(escape(yLabel)).append("</text>\n");
        return svg;
    }

    private static double x(double value, double maxX) {
        return LEFT + value / maxX * (W - LEFT - RIGHT);
    }

    private static double y(double value, double maxY) {
        return H - BOTTOM - value / maxY * (H - TOP - BOTTOM);
    }

    /** 1, 2 or 5 times a power of ten, at or above the value: round axis labels. */
    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
