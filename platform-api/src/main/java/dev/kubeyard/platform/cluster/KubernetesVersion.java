package dev.kubeyard.platform.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes version as RKE2, K3s and Rancher write it: {@code v1.33.5+rke2r1}, {@code v1.33.5+k3s1} or plain
 * {@code v1.33.5}. The leading {@code v} is required and numbers have no leading zeros, so {@link #toString()} gives
 * back exactly the text that was parsed and two versions are equal exactly when their texts are.
 *
 * <p>Order: major, minor and patch numerically, then the build suffix with its digit runs compared as numbers
 * ({@code rke2r2} before {@code rke2r10}); no suffix comes first. Suffixes of different distributions ({@code k3s1},
 * {@code rke2r1}) get an order only so that the order is total; it means nothing.
 *
 * @param build the part after {@code +}, empty when there is none (never null)
 */
public record KubernetesVersion(int major, int minor, int patch, String build)
        implements Comparable<KubernetesVersion> {

    private static final String NUMBER = "(0|[1-9][0-9]{0,8})";
    private static final String BUILD = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
    private static final Pattern SYNTAX =
            Pattern.compile("v" + NUMBER + "\\." + NUMBER + "\\." + NUMBER + "(?:\\+(" + BUILD + "))?");
    private static final Pattern BUILD_SYNTAX = Pattern.compile(BUILD);
    private static final Pattern DIGITS_OR_NOT = Pattern.compile("[0-9]+|[^0-9]+");

    private static final Comparator<KubernetesVersion> ORDER = Comparator.comparingInt(KubernetesVersion::major)
            .thenComparingInt(KubernetesVersion::minor)
            .thenComparingInt(KubernetesVersion::patch)
            .thenComparing(KubernetesVersion::build, KubernetesVersion::compareBuilds)
            // Only equal texts compare as 0, so the order agrees with equals.
            .thenComparing(KubernetesVersion::build);

    public KubernetesVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException(
                    "version numbers must not be negative, were " + major + "." + minor + "." + patch);
        }
        build = build == null ? "" : build;
        if (!build.isEmpty() && !BUILD_SYNTAX.matcher(build).matches()) {
            throw new IllegalArgumentException("build suffix \"" + build
                    + "\" must be dot-separated letters, digits and '-', like rke2r1 or k3s1");
        }
    }

    /**
     * Reads {@code v<major>.<minor>.<patch>} with an optional {@code +<build>} suffix.
     *
     * @throws IllegalArgumentException naming the text and the expected form when it is not a version
     */
    public static KubernetesVersion parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a Kubernetes version is required, like v1.33.5+rke2r1");
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a Kubernetes version: expected"
                    + " v<major>.<minor>.<patch> with an optional +<build> suffix, like v1.33.5+rke2r1");
        }
        return new KubernetesVersion(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                m.group(4) == null ? "" : m.group(4));
    }

    /** {@link #parse(String)} without the exception: empty when the text is not a version. */
    public static Optional<KubernetesVersion> tryParse(String text) {
        if (text == null || !SYNTAX.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(parse(text));
    }

    /**
     * How many minor versions this one is after {@code other}: 0 on the same minor line, 1 for the next minor,
     * negative when this one is older. Minor numbers of different major versions cannot be compared.
     *
     * @throws IllegalArgumentException when the major versions differ
     */
    public int minorsAfter(KubernetesVersion other) {
        if (major != other.major) {
            throw new IllegalArgumentException(
                    "minor versions of different major versions cannot be compared: " + this + " and " + other);
        }
        return minor - other.minor;
    }

    /** The minor line, {@code v1.33} for {@code v1.33.5+rke2r1}. */
    public String minorLine() {
        return "v" + major + "." + minor;
    }

    /** The minor line after this one's, {@code v1.34} for {@code v1.33.5+rke2r1}. */
    public String nextMinorLine() {
        return "v" + major + "." + (minor + 1);
    }

    public boolean isOlderThan(KubernetesVersion other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(KubernetesVersion other) {
        return ORDER.compare(this, other);
    }

    /** The version as Rancher writes it, the text {@link #parse(String)} read. */
    @Override
    public String toString() {
        return "v" + major + "." + minor + "." + patch + (build.isEmpty() ? "" : "+" + build);
    }

    /** Compares digit runs as numbers and the rest as text: rke2r2 before rke2r10. */
    private static int compareBuilds(String a, String b) {
        List<String> left = tokens(a);
        List<String> right = tokens(b);
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            String x = left.get(i);
            String y = right.get(i);
            int c = isDigits(x) && isDigits(y) ? compareDigitRuns(x, y) : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    private static List<String> tokens(String build) {
        List<String> tokens = new ArrayList<>();
        Matcher m = DIGITS_OR_NOT.matcher(build);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    private static boolean isDigits(String token) {
        char first = token.charAt(0);
        return first >= '0' && first <= '9';
    }

    /** Numeric order of two digit runs of any length, without parsing them into a number that could overflow. */
    private static int compareDigitRuns(String x, String y) {
        String a = stripLeadingZeros(x);
        String b = stripLeadingZeros(y);
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
