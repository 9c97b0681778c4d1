package dev.kubeyard.rancher.client.model;

/** A Kubernetes taint ({@code effect}: NoSchedule, PreferNoSchedule or NoExecute). */
public record Taint(String key, String value, String effect) {}
