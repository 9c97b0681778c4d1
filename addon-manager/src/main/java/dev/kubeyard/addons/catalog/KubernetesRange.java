package dev.kubeyard.addons.catalog;

import java.util.Optional;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * The Kubernetes versions an addon version supports, as an npm-style semver range ({@code ">=1.30.0 <1.35.0"}),
 * matched with semver4j. A Kubernetes version is read as its major.minor.patch: the leading {@code v} and a
 * distribution suffix ({@code +rke2r1}) do not count.
 */
public record KubernetesRange(String expression) {

    private static final KubernetesRange ANY = new KubernetesRange("*");

    public KubernetesRange {
        if (expression == null || expression.isBlank()) {
            expression = "*";
        }
        expression = expression.strip();
        // Parse once now so that a malformed range fails the catalog load, not a request.
        if (RangesListFactory.create(expression).get().isEmpty() && !expression.equals("*")) {
            throw new IllegalArgumentException("not a version range: " + expression);
        }
    }

    public static KubernetesRange any() {
        return ANY;
    }

    /** Whether the range holds the Kubernetes version ({@code v1.33.5+rke2r1}, {@code 1.33.5}, {@code 1.33}). */
    public boolean supports(String kubernetesVersion) {
        Optional<Semver> version = parse(kubernetesVersion);
        if (version.isEmpty()) {
            return false;
        }
        RangesList ranges = RangesListFactory.create(expression);
        return version.get().satisfies(ranges);
    }

    /** major.minor.patch of a Kubernetes version string, or empty when it is not one. */
    public static Optional<Semver> parse(String kubernetesVersion) {
        if (kubernetesVersion == null || kubernetesVersion.isBlank()) {
            return Optional.empty();
        }
        String v = kubernetesVersion.strip();
        if (v.startsWith("v")) {
            v = v.substring(1);
        }
        int plus = v.indexOf('+');
        if (plus >= 0) {
            v = v.substring(0, plus);
        }
        Semver coerced = Semver.coerce(v);
        return Optional.ofNullable(coerced).map(s -> Semver.of(s.getMajor(), s.getMinor(), s.getPatch()));
    }

    @Override
    public String toString() {
        return expression;
    }
}
