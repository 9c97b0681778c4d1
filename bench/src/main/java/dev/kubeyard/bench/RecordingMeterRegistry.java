package dev.kubeyard.bench;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SimpleMeterRegistry} (cumulative, as the application's registry keeps its timers) that also keeps every
 * value recorded into one named timer with the moment it was recorded, so that the benchmark can take the timer's
 * values of one phase exactly: Micrometer's own percentiles cover a decaying window that mixes the phases.
 */
final class RecordingMeterRegistry extends SimpleMeterRegistry {

    /** One recorded value: when ({@link System#nanoTime()}) and how long. */
    record Recorded(long atNanos, long nanos) {}

    private final String recorded;
    private final Queue<Recorded> samples = new ConcurrentLinkedQueue<>();

    RecordingMeterRegistry(String recorded) {
        this.recorded = recorded;
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
        if (!id.getName().equals(recorded)) {
            return super.newTimer(id, config, pauseDetector);
        }
        return new CumulativeTimer(id, clock, config, pauseDetector, getBaseTimeUnit(), false) {
            @Override
            protected void recordNonNegative(long amount, TimeUnit unit) {
                super.recordNonNegative(amount, unit);
                samples.add(new Recorded(System.nanoTime(), unit.toNanos(amount)));
            }
        };
    }

    /** The values recorded between two {@link System#nanoTime()} readings, sorted. */
    List<Duration> recordedBetween(long fromNanos, long toNanos) {
        List<Duration> out = new ArrayList<>();
        for (Recorded s : samples) {
            if (s.atNanos() >= fromNanos && s.atNanos() <= toNanos) {
                out.add(Duration.ofNanos(s.nanos()));
            }
        }
        out.sort(null);
        return out;
    }
}
