package dev.kubeyard.inventory.access;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class PlatformUserRepository implements PanacheRepository<PlatformUser> {

    public Optional<PlatformUser> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Users whose rights come from the directory: the ones a directory sync re-reads. */
    public List<PlatformUser> listFromDirectory() {
        return list("source = ?1 order by name", PlatformUser.SOURCE_DIRECTORY);
    }

    /**
     * Notes that the directory (or an OIDC token) just vouched for the user's groups, at most once per {@code
     * granularity}: a plain update outside optimistic locking, so that concurrent requests of one user never fail
     * each other over a timestamp.
     */
    public void noteSynced(PlatformUser user, Instant now, Duration granularity) {
        getEntityManager()
                .createNativeQuery(
                        "UPDATE users SET synced_at = ?1 WHERE id = ?2 AND (synced_at IS NULL OR synced_at < ?3)")
                .setParameter(1, now)
                .setParameter(2, user.getId())
                .setParameter(3, now.minus(granularity))
                .executeUpdate();
    }

    public List<PlatformUser> listByName() {
        return list("order by name");
    }
}
