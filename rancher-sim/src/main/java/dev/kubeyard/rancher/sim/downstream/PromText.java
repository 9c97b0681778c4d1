package dev.kubeyard.rancher.sim.downstream;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Writing the Prometheus text exposition format 0.0.4 the way Go's client_golang writes it: families sorted by name,
 * samples sorted by their label values, label names in alphabetical order with {@code le} last, numbers in Go's
 * shortest {@code %g} form ({@code 1234567} is {@code 1.234567e+06}).
 */
final class PromText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(16 * 1024);

    /** One sample: label values in the order of the family's label names, and its value. */
    record Sample(List<String> labelValues, double value) {}

    /** A family of counters or gauges. */
    void family(String name, String type, String help, List<String> labelNames, List<Sample> samples) {
        header(name, type, help);
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparing(Sample::labelValues, PromText::compareValues));
        for (Sample s : sorted) {
            out.append(name);
            labels(labelNames, s.labelValues(), null);
            out.append(' ').append(number(s.value())).append('\n');
        }
    }

    /**
     * One histogram series: label values in the order of the family's label names, the bucket upper bounds, the
     * cumulative counts per bucket (one more than bounds: the last is {@code +Inf}), and the sum.
     */
    record Histogram(List<String> labelValues, double[] bounds, double[] cumulative, double sum) {}

    void histogram(String name, String help, List<String> labelNames, List<Histogram> series) {
        header(name, "histogram", help);
        List<Histogram> sorted = new ArrayList<>(series);
        sorted.sort(Comparator.comparing(Histogram::labelValues, PromText::compareValues));
        for (Histogram h : sorted) {
            for (int i = 0; i < h.cumulative().length; i++) {
                String le = i < h.bounds().length ? number(h.bounds()[i]) : "+Inf";
                out.append(name).append("_bucket");
                labels(labelNames, h.labelValues(), le);
                out.append(' ').append(number(h.cumulative()[i])).append('\n');
            }
            out.append(name).append("_sum");
            labels(labelNames, h.labelValues(), null);
            out.append(' ').append(number(h.sum())).append('\n');
            out.append(name).append("_count");
            labels(labelNames, h.labelValues(), null);
            out.append(' ')
                    .append(number(h.cumulative()[h.cumulative().length - 1]))
                    .append('\n');
        }
    }

    String text() {
        return out.toString();
    }

    private void header(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void labels(List<String> names, List<String> values, String le) {
        if (names.isEmpty() && le == null) {
            return;
        }
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(names.get(i))
                    .append("=\"")
                    .append(escapeLabel(values.get(i)))
                    .append('"');
        }
        if (le != null) {
            if (!names.isEmpty()) {
                out.append(',');
            }
            out.append("le=\"").append(le).append('"');
        }
        out.append('}');
    }

    private static int compareValues(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}, which client_golang uses for values and bucket bounds. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = decimal.unscaledValue().toString();
        int count = digits.length();
        // the value is 0.<digits> x 10^point
        int point = count - decimal.scale();
        int exponent = point - 1;
        StringBuilder s = new StringBuilder();
        if (v < 0) {
            s.append('-');
        }
        if (exponent < -4 || exponent >= 6) {
            s.append(digits.charAt(0));
            if (count > 1) {
                s.append('.').append(digits, 1, count);
            }
            s.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                s.append('0');
            }
            s.append(magnitude);
            return s.toString();
        }
        if (point <= 0) {
            s.append("0.");
            s.append(String.join("", Collections.nCopies(-point, "0")));
            s.append(digits);
        } else if (point >= count) {
            s.append(digits);
            s.append(String.join("", Collections.nCopies(point - count, "0")));
        } else {
            s.append(digits, 0, point).append('.').append(digits, point, count);
        }
        return s.toString();
    }
}
