package dev.kubeyard.mirror.plan;

import dev.kubeyard.mirror.plan.MirrorInput.Export;
import dev.kubeyard.mirror.plan.MirrorInput.Port;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One definition of a service exported from several clusters (README.md, "The port rule"): exports are taken oldest
 * first; the oldest one's type stands; ports are keyed by name, and the first export to define a name, or to claim a
 * number and protocol, keeps it. Every disagreement is a conflict that names both clusters.
 */
final class PortRule {

    private PortRule() {}

    /** An export and the cluster it comes from. */
    record Source(String cluster, Export export, boolean withdrawn, Instant leaseEnd) {}

    record Conflict(String reason, String message) {}

    record Definition(ServiceType type, List<Port> ports, List<Conflict> conflicts) {}

    /** @param oldestFirst the exports of one service, by export time, then cluster */
    static Definition merge(List<Source> oldestFirst) {
        Source oldest = oldestFirst.getFirst();
        Map<String, Port> byName = new LinkedHashMap<>();
        Map<String, String> nameOfNumber = new LinkedHashMap<>();
        Map<String, String> ownerOfName = new LinkedHashMap<>();
        List<Conflict> conflicts = new ArrayList<>();
        for (Source source : oldestFirst) {
            Export export = source.export();
            if (export.type() != oldest.export().type()) {
                conflicts.add(new Conflict(
                        Reasons.TYPE_CONFLICT,
                        "%s exports it as %s, the oldest export (%s) as %s: %s is used"
                                .formatted(
                                        source.cluster(),
                                        export.type(),
                                        oldest.cluster(),
                                        oldest.export().type(),
                                        oldest.export().type())));
            }
            for (Port port : export.ports().stream().sorted().toList()) {
                String number = port.port() + "/" + port.protocol();
                Port taken = byName.get(port.name());
                String otherName = nameOfNumber.get(number);
                if (taken != null && !taken.equals(port)) {
                    conflicts.add(new Conflict(
                            Reasons.PORT_CONFLICT,
                            "port '%s' is %s in %s and %d/%s in %s: %s is used"
                                    .formatted(
                                            port.name(),
                                            taken.port() + "/" + taken.protocol(),
                                            ownerOfName.get(port.name()),
                                            port.port(),
                                            port.protocol(),
                                            source.cluster(),
                                            ownerOfName.get(port.name()))));
                } else if (taken == null && otherName != null) {
                    conflicts.add(new Conflict(
                            Reasons.PORT_CONFLICT,
                            "port %s is '%s' in %s and '%s' in %s: '%s' is left out"
                                    .formatted(
                                            number,
                                            otherName,
                                            ownerOfName.get(otherName),
                                            port.name(),
                                            source.cluster(),
                                            port.name())));
                } else if (taken == null) {
                    byName.put(port.name(), port);
                    nameOfNumber.put(number, port.name());
                    ownerOfName.put(port.name(), source.cluster());
                }
            }
        }
        return new Definition(
                oldest.export().type(), byName.values().stream().sorted().toList(), conflicts);
    }
}
