package dev.kubeyard.rancher.sim.downstream;

/** A node taint as the machine pool declares it; effect is NoSchedule, PreferNoSchedule or NoExecute. */
public record SimTaint(String key, String value, String effect) {}
