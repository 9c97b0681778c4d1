package dev.kubeyard.platform.access;

import dev.kubeyard.platform.access.directory.DirectoryException;
import dev.kubeyard.platform.access.directory.DirectoryGroup;
import dev.kubeyard.platform.access.directory.DirectoryUser;
import dev.kubeyard.platform.access.directory.LdapDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps rights in step with the directory: at every login, and every {@code kubeyard.platform.access.sync-interval}
 * for everyone whose rights come from it (a clustered Quartz job: one replica at a time). Each pass then removes the
 * Rancher bindings and tokens that no role justifies any more ({@link RancherAccess#sweep}), so someone who left a
 * group loses their kubeconfigs within one sync period. While the directory cannot be reached nobody's rights change:
 * the pass stops and says so in the log and the {@code kubeyard_platform_directory_sync_total{outcome}} metric.
 */
@ApplicationScoped
public class DirectorySync {

    private static final Logger LOG = Logger.getLogger(DirectorySync.class);

    @Inject
    DirectoryConnection connection;

    @Inject
    DirectoryGrants grants;

    @Inject
    RancherAccess rancherAccess;

    @Inject
    MeterRegistry metrics;

    @Scheduled(
            identity = "access-sync",
            every = "${kubeyard.platform.access.sync-interval}",
            delayed = "${kubeyard.platform.access.sync-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        syncAll();
    }

    /** Re-reads every directory user's groups, then removes Rancher access nothing justifies any more. */
    public void syncAll() {
        String correlationId = "access-sync-" + UUID.randomUUID();
        Optional<LdapDirectory> directory = connection.directory();
        if (directory.isPresent()) {
            try {
                syncEveryone(directory.get(), correlationId);
            } catch (DirectoryException e) {
                // Keep everyone's rights as they are: a directory outage must not take access away.
                count("directory-unavailable");
                LOG.warnf("Directory sync stopped, rights left as they were: %s", e.getMessage());
                return;
            }
        }
        rancherAccess.sweep(correlationId);
    }

    /**
     * Reads everyone first, then applies. When more people would leave at once than {@link #mostLeaving} allows (a
     * service account that lost its read rights, a user base emptied during a restore), nobody is disabled this pass:
     * that looks like a directory problem, not like people leaving. One user's failure does not stop the others.
     */
    void syncEveryone(LdapDirectory directory, String correlationId) {
        directory.check();
        List<String> names = grants.directoryUsers();
        Map<String, Optional<DirectoryUser>> answers = new LinkedHashMap<>();
        for (String name : names) {
            answers.put(name, directory.findUser(name));
        }
        long leaving = answers.values().stream().filter(Optional::isEmpty).count();
        boolean tooMany = leaving > mostLeaving(names.size());
        if (tooMany) {
            count("too-many-leaving");
            LOG.warnf(
                    "Directory sync: %d of %d people would leave at once, more than %d; nobody is disabled this pass",
                    leaving, names.size(), mostLeaving(names.size()));
        }
        for (var answer : answers.entrySet()) {
            try {
                if (answer.getValue().isPresent()) {
                    apply(directory, answer.getValue().get(), correlationId);
                } else if (!tooMany && grants.left(answer.getKey(), correlationId)) {
                    LOG.infof(
                            "User %s is no longer in the directory: directory grants removed, user disabled",
                            answer.getKey());
                }
            } catch (DirectoryException e) {
                throw e;
            } catch (RuntimeException e) {
                count("user-failed");
                LOG.warnf("Directory sync of %s failed, the others go on: %s", answer.getKey(), e.getMessage());
            }
        }
        count("synced");
    }

    /** At most this many people may leave in one pass: two, or a tenth of everyone, whichever is more. */
    static long mostLeaving(int people) {
        return Math.max(2, people / 10);
    }

    /** The directory's word on one person, applied; empty when no directory is configured. */
    public Optional<DirectoryGrants.Applied> syncOne(LdapDirectory directory, String username, String correlationId) {
        Optional<DirectoryUser> person = directory.findUser(username);
        if (person.isEmpty()) {
            if (grants.left(username, correlationId)) {
                LOG.infof("User %s is no longer in the directory: directory grants removed, user disabled", username);
            }
            return Optional.empty();
        }
        return Optional.of(apply(directory, person.get(), correlationId));
    }

    /** Applies the groups of a person the directory just answered for (a login, or a sync). */
    public DirectoryGrants.Applied apply(LdapDirectory directory, DirectoryUser person, String correlationId) {
        Set<String> groups = new LinkedHashSet<>();
        for (DirectoryGroup group : directory.membershipsOf(person)) {
            groups.add(group.name());
            groups.add(group.dn());
        }
        DirectoryGrants.Applied applied = grants.apply(person, groups, correlationId);
        if (applied.changed()) {
            LOG.infof(
                    "Directory groups changed the rights of %s: added %s, removed %s",
                    person.username(), applied.added(), applied.removed());
        }
        return applied;
    }

    private void count(String outcome) {
        metrics.counter("kubeyard_platform_directory_sync_total", "outcome", outcome)
                .increment();
    }
}
