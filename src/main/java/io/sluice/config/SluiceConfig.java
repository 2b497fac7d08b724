package io.sluice.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.sluice.event.DurationText;
import io.sluice.event.UndoPolicy;

/** All of Sluice's settings, in one place ({@code sluice.*} in application.properties or SLUICE_* variables). */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {

    /** Sluice's own schema in the target database: snapshots and the rollback audit live there. */
    @WithDefault(DEFAULT_STATE_SCHEMA)
    String stateSchema();

    String DEFAULT_STATE_SCHEMA = "sluice";

    Database database();

    Catalog catalog();

    Migrate migrate();

    Validate validate();

    Settings settings();

    Lint lint();

    Files files();

    Aws aws();

    Tracing tracing();

    Approval approval();

    Probe probe();

    Scratch scratch();

    /** The role what a release carries runs as on a live server (probes, check-green's plans and probes). */
    interface Probe {
        /** Its name; the deployment fixes it, no event names it. */
        @WithDefault("sluice_probe")
        String role();

        /**
         * The secret holding its password ({@code password}; a {@code username} there wins over {@link #role()}), which
         * Terraform creates; absent (local runs): a password this process generates and sets.
         */
        Optional<String> secretArn();
    }

    /** How scratch work (proofs, lock probes, rebuilt versions, plans, schema builds) is kept away from production. */
    interface Scratch {
        /**
         * {@code embedded}: a PostgreSQL of the live major version the function starts in its own temporary folder;
         * {@code server}: the scratch server of {@code sluice.database.scratch-secret-arn} (or an event's {@code scratch});
         * {@code role}: a least-privilege scratch role on the live server (opt-in); {@code none}: scratch work is refused.
         */
        @WithDefault("embedded")
        String isolation();

        /** The secret of the scratch role's password (isolation {@code role}); absent: one this process generates. */
        Optional<String> roleSecretArn();

        /** The scratch role's name (isolation {@code role}). */
        @WithDefault("sluice_scratch")
        String role();

        /** The most a scratch database may grow to; past it the work stops and is reported not provable. */
        @WithDefault("256MB")
        String maxSize();

        /** The longest scratch work may take, and always less than the invocation's time left. */
        @WithDefault("5m")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration maxDuration();

        /**
         * The database scratch databases are copied from (isolation {@code server} and {@code role}): one an operator
         * prepared with the extensions the scripts need and the isolation cannot create; absent: {@code template1}.
         */
        Optional<String> template();

        /**
         * Extensions the embedded server's template holds (made by its superuser, which the scripts never are): those
         * the scripts need that a database owner may not create, e.g. {@code pg_stat_statements}.
         */
        Optional<java.util.List<String>> extensions();

        /** Where the embedded server unpacks its binaries and keeps its data; absent: the temporary folder. */
        Optional<String> directory();

        /**
         * A SQL script (a file under {@code sluice.files.roots}) run in every scratch database as it is made, before any
         * script of the history: what the scripts need from outside the managed schema, which a scratch database does
         * not have (another schema, a function, a type, a role's grants). It runs as the scratch database's owner.
         */
        Optional<String> setupScript();
    }

    /** Who may approve a release. */
    interface Approval {
        /**
         * The approvers: {@code principal-arn=name} entries (an IAM user's ARN, or a role session's,
         * {@code arn:aws:sts::123456789012:assumed-role/Approvers/alice}); Terraform renders {@code var.approvers}.
         * Unset: nobody may approve, and a release that needs approvals waits until rejected or timed out.
         */
        Optional<java.util.List<String>> approvers();
    }

    /** OpenTelemetry traces: off unless an OTLP endpoint is set. */
    interface Tracing {
        /** The OTLP/HTTP traces endpoint, e.g. the ADOT collector layer's {@code http://localhost:4318/v1/traces}. */
        Optional<String> otlpEndpoint();

        /** The {@code service.name} of the spans. */
        @WithDefault("sluice")
        String serviceName();

        /** How long an export may take before the invocation returns without it. */
        @WithDefault("2s")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration exportTimeout();
    }

    /** The AWS adapters: where the SDK clients connect, and how a database from a secret is reached. */
    interface Aws {
        /** Whether the functions may call AWS (secrets, bundles); off, a secret or bundle in an event is refused. */
        @WithDefault("true")
        boolean enabled();

        /** An endpoint for every AWS client (an emulator's); absent: AWS's own. */
        Optional<String> endpoint();

        /** The region; absent: {@code AWS_REGION} (set in Lambda), else us-east-1. */
        Optional<String> region();

        /** How long a secret read stays cached in a warm container (a rejection re-reads it at once). */
        @WithDefault("5m")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration secretCacheTtl();

        /**
         * The database's host when its secret has none: the master secret RDS manages holds only {@code username} and
         * {@code password}, so Terraform gives the instance's address here. A secret's own {@code host} wins.
         */
        Optional<String> databaseHost();

        /**
         * The deployment's own database secret ({@code local.master_secret_arn}): the only secret that may lack a
         * {@code host} and take {@link #databaseHost()}. Any other secret (a fleet target's, the parity database's)
         * names its host, or is refused: a secret without one would otherwise reach this deployment's instance.
         */
        Optional<String> databaseSecretArn();

        /** The port when the secret has none (default 5432). */
        Optional<Integer> databasePort();

        /** The database when the secret has no {@code dbname} (default {@code postgres}). */
        Optional<String> databaseName();

        /** {@code sslmode} of connections to a database from a secret: RDS's certificate, verified against its host. */
        @WithDefault("verify-full")
        String databaseSslMode();

        /**
         * The CA bundle (the RDS global bundle) to verify it with, a file; absent: pgjdbc's default
         * ({@code ~/.postgresql/root.crt}). Deployed: {@code ${LAMBDA_TASK_ROOT}/rds-global-bundle.pem}, at the root of
         * function.zip.
         */
        Optional<String> databaseSslRootCert();

        /** The bucket where a result too large for a state machine is kept whole ({@code reports/...}); absent: nowhere. */
        Optional<String> reportsBucket();

        /** The largest migration bundle (zip) fetched from S3. */
        @WithDefault("52428800")
        long bundleMaxBytes();

        /** The most entries a bundle may hold. */
        @WithDefault("10000")
        int bundleMaxEntries();

        /** The most bytes a bundle may unpack to (Lambda's /tmp is 512 MB unless configured larger). */
        @WithDefault("209715200")
        long bundleMaxUnpackedBytes();

        /** The DynamoDB table of approval votes and decisions (key: execution, entry). */
        @WithDefault("sluice-approvals")
        String approvalsTable();

        /** The pipeline state machine the start function starts (Terraform sets it); absent: nothing can be started. */
        Optional<String> pipelineArn();

        /**
         * The fleet state machine: what the start function starts for an input with a {@code fleet}, and whose
         * executions' approvals hold for the pipelines they start (Terraform sets it); absent: no fleet.
         */
        Optional<String> fleetArn();

        /**
         * The RDS instance the upgrade function may make Blue/Green deployments of (Terraform sets its database's);
         * absent: the upgrade function upgrades nothing.
         */
        Optional<String> rdsInstance();

        /**
         * The upgrade state machine: what the start function starts for an input with {@code upgrade}, and whose
         * approved, running executions alone may switch over (Terraform sets it); absent: no upgrade.
         */
        Optional<String> upgradeArn();

        /**
         * The PostgreSQL major version the deployment's Terraform declares for the instance ({@code
         * database_engine_version}): upgrade readiness refuses an upgrade while the instance runs another one (the
         * module not yet changed after the last switchover, whose next plan would propose a downgrade).
         */
        Optional<String> databaseEngineVersion();

        /**
         * The parameter group Terraform made for the next engine ({@code upgrade_target_engine_version}), which an
         * upgrade to {@link #upgradeTargetEngineVersion()} gives green when its input names none.
         */
        Optional<String> upgradeTargetParameterGroup();

        /** The major version {@link #upgradeTargetParameterGroup()} is of. */
        Optional<String> upgradeTargetEngineVersion();

        /**
         * The deployment's lists, too long for Lambda's 4 KB environment: a JSON object in {@link #reportsBucket()}
         * ({@code databaseSecrets}, {@code paritySecrets}, {@code approvers}) that Terraform writes under a key of its
         * own digest; absent: the lists come from {@code sluice.database.allowed-secrets} and
         * {@code sluice.approval.approvers} alone.
         */
        Optional<String> listsObject();

        /** The SHA-256 (hex) the lists object must have: another content is refused, and so is every event. */
        Optional<String> listsSha256();

        /** Which lists of the lists object an event's {@code database.secretArn} may name (validate: the parity one too). */
        @WithDefault("databaseSecrets")
        java.util.List<String> listsSecrets();

        /**
         * The most pipelines a fleet's wave runs at once: with reserved concurrency (Terraform's
         * {@code function_reserved_concurrency}) the smallest reservation of the functions a pipeline invokes; a wave
         * asking for more runs at this many, and its plan says so. Absent: the fleet's own {@code maxConcurrency}.
         */
        Optional<Integer> fleetMaxConcurrency();

        /** The SNS topic for drift found and rollbacks performed; absent: no notifications from the functions. */
        Optional<String> notificationTopicArn();

        /** Unpacked bundles kept for warm invocations; older ones are removed. */
        @WithDefault("3")
        int bundlesKept();
    }

    /** Where events may point {@code filesystem:} locations (migrations, contracts). */
    interface Files {
        /**
         * Folders whose contents may be read; everything else (including {@code /proc} and {@code /etc}) is refused,
         * and so is a symbolic link leading out of them. The default is the working directory, for local runs;
         * deployed functions name their bundle folder.
         */
        @WithDefault(".")
        java.util.List<String> roots();
    }

    /** How Sluice connects. */
    interface Database {
        /** Longest wait for a TCP connection; an unreachable database fails after this, not at the Lambda timeout. */
        @WithDefault("5s")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration connectTimeout();

        /** Longest wait for connection plus authentication. */
        @WithDefault("10s")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration loginTimeout();

        /**
         * Whether an event may give the database's URL, user and password itself. False deployed: the database comes
         * from a Secrets Manager secret, so no password passes through an event, an execution's history or a log, and
         * whoever may invoke a function cannot point it at another host. The local pipeline and the tests set it.
         */
        @WithDefault("false")
        boolean eventCredentials();

        /**
         * The secrets ({@code database.secretArn}: ARNs, or names) an event may name; Terraform sets its database's. Unset,
         * any secret the function's role may read.
         */
        Optional<java.util.List<String>> allowedSecrets();

        /**
         * Whether a warm function keeps one idle connection to the event's database between invocations (its session
         * reset when it comes back, its prepared statements kept, checked after an idle second, dropped after any
         * failure). Each warm Lambda environment then holds one server connection while it waits.
         */
        @WithDefault("true")
        boolean keepConnection();

        /**
         * The secret of the PostgreSQL server scratch databases are built on (a secret holding host, port and dbname as
         * well as the credentials; the live database's major version), so that proofs and probes do not load the live
         * server. Unset: the live database's server. An event's {@code scratch} wins.
         */
        Optional<String> scratchSecretArn();

        /**
         * The scratch server's host when its secret has none: the secret RDS manages for a scratch instance's master
         * user holds only username and password (Terraform sets the instance's address here; port 5432, database
         * {@code postgres}). Used for {@link #scratchSecretArn()} only.
         */
        Optional<String> scratchHost();
    }

    /** What a schema snapshot holds. */
    interface Catalog {
        /** Whether owners and grants are part of the schema (drift in grants is then drift). */
        @WithDefault("false")
        boolean includePrivileges();
    }

    /** How {@code migrate} applies scripts. */
    interface Migrate {
        /**
         * The longest {@code lock_timeout} of a migration statement: a transactional script's last tries, and every
         * script that runs outside a transaction.
         */
        @WithDefault("2s")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration lockTimeout();

        /**
         * {@code lock_timeout} of a transactional script's first try; doubled for each retry up to {@code lock-timeout}.
         * Readers queued behind the migration's lock request stall at most this long on the first try.
         */
        @WithDefault("100ms")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration firstLockTimeout();

        /** {@code statement_timeout} for every migration statement; 0 disables it. */
        @WithDefault("10m")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration statementTimeout();

        /** Total time a script may spend on tries that ended in {@code lock_timeout} before {@code LockTimeout}. */
        @WithDefault("2m")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration lockRetryBudget();

        /**
         * Between tries, Sluice polls pg_locks (queueing for nothing) until no long transaction holds a lock the script
         * needs: the first pause between polls; doubled after each, up to {@code lock-retry-max-backoff}. The same
         * pacing serves the waits for the migration locks.
         */
        @WithDefault("50ms")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration lockRetryInitialBackoff();

        @WithDefault("1s")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration lockRetryMaxBackoff();

        /** How long an invocation waits for another one that is migrating the same schema. */
        @WithDefault("2m")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration migrationLockWait();

        /** Time kept in reserve before the Lambda deadline, so the function answers instead of being killed. */
        @WithDefault("15s")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration deadlineReserve();

        /** How batched data migrations ({@code -- sluice:batch}) pace themselves. */
        Backfill backfill();
    }

    /** Pacing of batched data migrations: a fixed time per batch, room for the application, pauses when it suffers. */
    interface Backfill {
        /**
         * The batch size adapts so that a batch takes about this long: the row locks it takes are held this long at
         * most, and an application write that meets one waits at most this long.
         */
        @WithDefault("200ms")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration targetBatchDuration();

        /** Sleep between two batches, leaving the database to the application. */
        @WithDefault("100ms")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration pauseBetweenBatches();

        /** Pause while a replica replays further behind than this. */
        @WithDefault("10s")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration maxReplicationLag();

        /** Pause while another session has waited for a lock longer than this. */
        @WithDefault("1s")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration maxLockWait();

        /** Pause while a transaction older than this is open (it holds back vacuum of the rows the batches rewrite). */
        @WithDefault("10m")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration maxTransactionAge();

        /** How long a pause lasts before the limits are read again. */
        @WithDefault("2s")
        @WithConverter(DurationText.ConfigConverter.class)
        Duration throttlePause();
    }

    /** Thresholds of the {@code config} rules (validate mode config). */
    interface Settings {
        /** max_connections above this is a warning (the guide recommends 200-250). */
        @WithDefault("250")
        int maxConnections();

        /** shared_buffers as a share of the instance's memory, when the event gives it: the healthy range. */
        @WithDefault("0.15")
        double sharedBuffersMinRatio();

        @WithDefault("0.40")
        double sharedBuffersMaxRatio();

        /** work_mem above this many MiB is a warning: every sort and hash of every connection may take it. */
        @WithDefault("256")
        int workMemMaxMb();

        /** maintenance_work_mem below this many MiB makes index builds and vacuum slow. */
        @WithDefault("64")
        int maintenanceWorkMemMinMb();

        /** max_wal_size below this many MiB forces frequent checkpoints. */
        @WithDefault("1024")
        int maxWalSizeMinMb();
    }

    /** Lint: severities per rule and approvals per change class. */
    interface Lint {
        /** Severity per rule id: error, warning, info or off, e.g. {@code sluice.lint.severity."prefer-text-field"=off}. */
        java.util.Map<String, String> severity();

        /** Approvals a change needs, by class (the guide's approval rules). */
        @WithDefault("1")
        int approvalsMinor();

        @WithDefault("2")
        int approvalsMajor();

        @WithDefault("3")
        int approvalsData();

        @WithDefault("3")
        int approvalsDestructive();
    }

    /** Defaults for {@code validate}. */
    interface Validate {
        /** What a pending V script without U script is: error, warn or off. */
        @WithDefault("warn")
        UndoPolicy undoPolicy();
    }
}
