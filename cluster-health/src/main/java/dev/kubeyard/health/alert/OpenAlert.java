package dev.kubeyard.health.alert;

/** A firing alert as the planner needs it. */
public record OpenAlert(long id, String fingerprint, String rule, String summary, String description) {}
