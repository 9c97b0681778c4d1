package dev.kubeyard.platform.access;

import dev.kubeyard.platform.access.directory.DirectorySettings;
import dev.kubeyard.platform.access.directory.LdapDirectory;
import dev.kubeyard.platform.config.PlatformConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The company directory, when {@code kubeyard.platform.access.ldap.url} is set: one pooled connection set for the whole
 * application (UnboundID, see access/directory/README.md). A directory that is down at start is not fatal: calls fail
 * with DirectoryUnavailableException until it is back, and nobody's rights change meanwhile.
 */
@Singleton
public class DirectoryConnection {

    private static final Logger LOG = Logger.getLogger(DirectoryConnection.class);

    @Inject
    PlatformConfig config;

    private LdapDirectory directory;

    @PostConstruct
    void open() {
        PlatformConfig.Access.Ldap ldap = config.access().ldap();
        if (ldap.url().isEmpty() || ldap.url().get().isBlank()) {
            return;
        }
        DirectorySettings settings = DirectorySettings.builder(
                        ldap.url().get(),
                        required(ldap.bindDn(), "bind-dn"),
                        required(ldap.bindPassword(), "bind-password"),
                        required(ldap.userBaseDn(), "user-base-dn"),
                        required(ldap.groupBaseDn(), "group-base-dn"))
                .userFilter(ldap.userFilter())
                .usernameAttribute(ldap.usernameAttribute())
                .groupFilter(ldap.groupFilter())
                .groupNameAttribute(ldap.groupNameAttribute())
                .nestedGroups(ldap.nestedGroups())
                .build();
        directory = new LdapDirectory(settings);
        LOG.infof(
                "Directory groups come from %s (people under %s)",
                ldap.url().get(), ldap.userBaseDn().get());
    }

    /** The directory, or empty when none is configured. */
    public Optional<LdapDirectory> directory() {
        return Optional.ofNullable(directory);
    }

    void close(@Observes ShutdownEvent event) {
        if (directory != null) {
            directory.close();
        }
    }

    private static String required(Optional<String> value, String key) {
        return value.filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalStateException(
                        "kubeyard.platform.access.ldap." + key + " is required when ldap.url is set"));
    }
}
