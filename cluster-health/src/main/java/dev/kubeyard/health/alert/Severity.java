package dev.kubeyard.health.alert;

import java.util.Locale;

/** How urgent an alert is; its wire name is the lower-case name (Alertmanager's {@code severity} label). */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity fromWireName(String name) {
        for (Severity s : values()) {
            if (s.wireName().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + name + "' (info, warning or critical)");
    }
}
