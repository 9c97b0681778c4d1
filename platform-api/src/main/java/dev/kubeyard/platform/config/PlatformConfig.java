package dev.kubeyard.platform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of the platform-api module (README: the table, with the environment variables). */
@ConfigMapping(prefix = "kubeyard.platform")
public interface PlatformConfig {

    Clusters clusters();

    Rancher rancher();

    Reconciler reconciler();

    Sandbox sandbox();

    Access access();

    /** What a cluster spec may ask for. */
    interface Clusters {
        /** Kubernetes versions a cluster may be created with or upgraded to, oldest first. */
        @WithDefault("v1.32.9+rke2r1,v1.33.5+rke2r1,v1.34.2+rke2r1")
        List<String> supportedVersions();

        /** Smallest quantity of one node pool (0 lets a worker pool be emptied). */
        @WithDefault("0")
        int minPoolQuantity();

        /** Largest quantity of one node pool. */
        @WithDefault("100")
        int maxPoolQuantity();

        /** Most node pools in one cluster. */
        @WithDefault("20")
        int maxNodePools();

        /** Longest time-to-live of a temporary cluster. */
        @WithDefault("2592000")
        long maxTimeToLiveSeconds();
    }

    /** The Rancher that provisions the clusters; without a URL the sandbox simulates one. */
    interface Rancher {
        /** Rancher's base URL, e.g. https://rancher.example.com (KUBEYARD_RANCHER_URL). */
        Optional<String> url();

        /** A Rancher API token, "token-xxxxx:secret" (KUBEYARD_RANCHER_TOKEN). Never logged. */
        Optional<String> token();

        /** Namespace of provisioning clusters and machine configs. */
        @WithDefault("fleet-default")
        String namespace();

        /** Machine config kind the node specs become (Rancher's node driver). */
        @WithDefault("OpenstackConfig")
        String machineConfigKind();

        /** Cloud credential secret for the node driver, e.g. cattle-global-data:cc-abcde. */
        Optional<String> cloudCredential();

        /** Upper bound of one Rancher call, retries included. */
        @WithDefault("30")
        int callTimeoutSeconds();

        /** Retries of a failed read (writes are never retried blindly). */
        @WithDefault("3")
        int readRetries();
    }

    /** The cluster reconciler (a Quartz job, clustered: one replica runs a pass at a time). */
    interface Reconciler {
        /** How often every cluster is reconciled. */
        @WithDefault("10s")
        Duration interval();

        /** A cluster still not Ready after this long gets a ProvisioningSlow condition. */
        @WithDefault("30m")
        Duration provisioningTimeout();
    }

    /** Sandbox mode: used only when no Rancher URL is configured. */
    interface Sandbox {
        /** Whether the application may simulate Rancher in-process when no Rancher URL is set. */
        @WithDefault("true")
        boolean enabled();

        /** Demo clusters put into an empty inventory when the sandbox starts. */
        @WithDefault("3")
        int demoClusters();
    }

    /** Authentication, roles, tokens, quotas and the directory (README: "Teams and access"). */
    interface Access {
        /**
         * An admin token the platform accepts from the start (KUBEYARD_BOOTSTRAP_TOKEN): {@code kyd_} and 32 or more
         * letters and digits. Without it, the sandbox makes one up and prints it once at start.
         */
        Optional<String> bootstrapToken();

        /** Lifetime of a new API token when the request names none. */
        @WithDefault("30d")
        Duration tokenDefaultLifetime();

        /** Longest lifetime of an API token. */
        @WithDefault("90d")
        Duration tokenMaxLifetime();

        /** Clusters a team may have when its own quota is not set; unlimited when absent. */
        Optional<Integer> defaultMaxClusters();

        /** Nodes (sum of pool quantities) a team may have when its own quota is not set; unlimited when absent. */
        Optional<Integer> defaultMaxNodes();

        Throttle throttle();

        /**
         * This installation's name on what it makes in Rancher (label {@code kubeyard.dev/managed-by}): a staging and a
         * production Kubeyard on one Rancher each touch only their own users, bindings and tokens.
         */
        @WithDefault("kubeyard")
        String instanceId();

        /** How often directory groups are read again and Rancher access that is no longer justified is removed. */
        @WithDefault("5m")
        Duration syncInterval();

        /** The Rancher role template a team admin's kubeconfig is bound with. */
        @WithDefault("cluster-owner")
        String adminRoleTemplate();

        /** The Rancher role template a team member's kubeconfig is bound with: the rights the team grants. */
        @WithDefault("cluster-member")
        String memberRoleTemplate();

        /** Lifetime of a kubeconfig's token when the request names none (at most 24 hours). */
        @WithDefault("8h")
        Duration kubeconfigLifetime();

        Ldap ldap();

        /** The company directory (LDAP); without a URL, rights are given by hand only. */
        interface Ldap {
            /** ldap:// or ldaps:// URL (KUBEYARD_LDAP_URL). */
            Optional<String> url();

            /** DN of the service account that searches (KUBEYARD_LDAP_BIND_DN). */
            Optional<String> bindDn();

            /** Its password (KUBEYARD_LDAP_BIND_PASSWORD); never logged. */
            Optional<String> bindPassword();

            /** Where people are. */
            Optional<String> userBaseDn();

            /** Where groups are. */
            Optional<String> groupBaseDn();

            /** Filter that finds a person by login name; {0} is the name, escaped. */
            @WithDefault("(uid={0})")
            String userFilter();

            /** Attribute holding the login name. */
            @WithDefault("uid")
            String usernameAttribute();

            /** Filter that finds a person's groups; {0} is the person's DN, escaped. */
            @WithDefault("(|(member={0})(uniqueMember={0}))")
            String groupFilter();

            /** Attribute holding a group's name (what group bindings name). */
            @WithDefault("cn")
            String groupNameAttribute();

            /** Whether a group inside a group counts. */
            @WithDefault("true")
            boolean nestedGroups();
        }

        /** Slowing down repeated failed authentication from one source address. */
        interface Throttle {
            /** Failures from one address before its attempts are refused for a while. */
            @WithDefault("5")
            int freeAttempts();

            /** Longest wait imposed (the wait doubles with each further failure, from 1 s). */
            @WithDefault("5m")
            Duration maxDelay();

            /** A source with no failure for this long is forgotten. */
            @WithDefault("15m")
            Duration forgetAfter();

            /** Most source addresses remembered at once. */
            @WithDefault("100000")
            int maxSources();
        }
    }
}
