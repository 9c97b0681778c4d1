package dev.kubeyard.rancher.sim.api;

import java.util.function.Supplier;

/** Runs an action under the store lock and then hands the downstream side effects it caused over. */
public interface Transactor {

    <T> T locked(Supplier<T> action);
}
