package dev.kubeyard.platform.access;

import dev.kubeyard.platform.config.PlatformConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The one {@link LoginThrottle} of this replica, from {@code kubeyard.platform.access.throttle.*}. */
public class LoginThrottleProducer {

    @Produces
    @Singleton
    LoginThrottle throttle(PlatformConfig config, Clock clock, MeterRegistry registry) {
        PlatformConfig.Access.Throttle settings = config.access().throttle();
        LoginThrottle throttle = new LoginThrottle(
                settings.freeAttempts(), settings.maxDelay(), settings.forgetAfter(), settings.maxSources(), clock);
        registry.gauge("kubeyard_platform_login_throttled_sources", throttle, LoginThrottle::size);
        return throttle;
    }
}
