package timeline.graph.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.internal.kernel.api.security.LoginContext;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.api.security.AuthToken;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs Neo4j Community Edition (5.26 LTS) embedded, with the Bolt connector, for timeline's local
 * development and tests. Started in the background by {@code graph/neo4j.sh}; see graph/README.md.
 *
 * <p>Configuration comes from environment variables (all optional):
 * <ul>
 *   <li>{@code NEO4J_HOME_DIR}: home/data directory (data/, logs/, run/ live inside it);
 *       default: {@code <repo>/.neo4j}, derived from where the launcher jar sits.</li>
 *   <li>{@code NEO4J_BOLT_HOST} (127.0.0.1), {@code NEO4J_BOLT_PORT} (7687),
 *       {@code NEO4J_BOLT_ADVERTISED_ADDRESS} (host:port; default the listen address).</li>
 *   <li>{@code NEO4J_PASSWORD} (timeline-dev): password of user {@code neo4j}, set on every start.</li>
 *   <li>{@code NEO4J_PAGECACHE} (512m), {@code NEO4J_TX_MEMORY_TOTAL} (half the JVM heap),
 *       {@code NEO4J_TX_MEMORY_MAX} (a quarter of the JVM heap).</li>
 *   <li>{@code NEO4J_TX_TIMEOUT} (10s): {@code db.transaction.timeout}, the longest any transaction
 *       may run before the server terminates it (a backstop behind the service's own per-call
 *       deadline, {@code TIMELINE_STORE_TIMEOUT}); a duration like 10s, 500ms or 2m, 0 for none.</li>
 *   <li>{@code NEO4J_PLUGINS_DIR}: directory whose jars Neo4j scans for procedures (APOC);
 *       default: {@code target/plugins} next to the launcher jar.</li>
 *   <li>{@code NEO4J_CONF_FILE}: optional neo4j.conf-style file with extra settings, applied last.</li>
 * </ul>
 */
public final class Neo4jLauncher {

    static final String USER = "neo4j";
    static final String PID_FILE = "neo4j.pid";
    static final String READY_FILE = "neo4j.ready";
    /** Written once the system database exists and the password has been set (first start). */
    static final String INITIALIZED_MARKER = ".timeline-launcher-initialized";

    private static final PrintStream OUT = System.out;
    /** Guards starting/stopping a DBMS between the main thread and the shutdown hook. */
    private static final Object LIFECYCLE = new Object();
    private static final AtomicReference<DatabaseManagementService> CURRENT = new AtomicReference<>();
    private static final AtomicBoolean STOPPING = new AtomicBoolean(false);
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ");

    private Neo4jLauncher() {}

    public static void main(String[] args) {
        try {
            run();
        } catch (Throwable t) {
            if (STOPPING.get()) {
                return; // failed because a shutdown (SIGTERM) is in progress: the hook finishes the job
            }
            log("FATAL: " + t);
            t.printStackTrace(OUT);
            OUT.flush();
            // exit (not halt): runs the shutdown hook, if registered, so a started DBMS still stops cleanly
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        Path home = homeDir();
        Path runDir = home.resolve("run");
        Path logsDir = home.resolve("logs");
        Files.createDirectories(runDir);
        Files.createDirectories(logsDir);
        Path importDir = home.resolve("import");
        Files.createDirectories(importDir);
        Path pidFile = runDir.resolve(PID_FILE);
        Path readyFile = runDir.resolve(READY_FILE);
        Files.deleteIfExists(readyFile);
        long pid = ProcessHandle.current().pid();
        Files.writeString(pidFile, pid + "\n", StandardCharsets.US_ASCII);

        String host = env("NEO4J_BOLT_HOST", "127.0.0.1");
        int port = parsePort(env("NEO4J_BOLT_PORT", "7687"));
        String password = env("NEO4J_PASSWORD", "timeline-dev");
        if (password.length() < 8) {
            throw new IllegalArgumentException(
                    "NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum password length)");
        }
        long heap = Runtime.getRuntime().maxMemory();
        long pageCache = bytes("NEO4J_PAGECACHE", "512m");
        long txTotal = bytes("NEO4J_TX_MEMORY_TOTAL", String.valueOf(heap / 2));
        long txMax = bytes("NEO4J_TX_MEMORY_MAX", String.valueOf(heap / 4));
        Duration txTimeout = duration("NEO4J_TX_TIMEOUT", "10s");
        Path pluginsDir = pluginsDir();
        String confFile = System.getenv("NEO4J_CONF_FILE");

        log("Neo4j launcher pid=" + pid + " home=" + home + " bolt=" + host + ":" + port
                + " heap=" + ByteUnit.bytesToString(heap) + " pagecache=" + ByteUnit.bytesToString(pageCache)
                + " tx.total=" + ByteUnit.bytesToString(txTotal) + " tx.max=" + ByteUnit.bytesToString(txMax)
                + " tx.timeout=" + txTimeout
                + " plugins=" + pluginsDir);

        Map<Setting<?>, Object> base = new HashMap<>();
        base.put(GraphDatabaseSettings.auth_enabled, true);
        base.put(GraphDatabaseSettings.pagecache_memory, pageCache);
        base.put(GraphDatabaseSettings.memory_transaction_global_max_size, txTotal);
        base.put(GraphDatabaseSettings.memory_transaction_max_size, txMax);
        // No query runs for ever, whatever the client does (the service gives up after its own
        // deadline, store_timeout, 5 s by default; the server then stops the transaction here).
        base.put(GraphDatabaseSettings.transaction_timeout, txTimeout);
        base.put(GraphDatabaseSettings.plugin_dir, pluginsDir);
        base.put(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"));
        base.put(GraphDatabaseSettings.udc_enabled, false);
        // Dev/test database: keep transaction logs small instead of the default "2 days".
        base.put(GraphDatabaseSettings.keep_logical_logs, "256M size");
        base.put(GraphDatabaseSettings.logs_directory, logsDir);
        // Like a server install: LOAD CSV file:/// URLs and APOC file import/export are confined to it.
        base.put(GraphDatabaseSettings.load_csv_file_url_root, importDir);
        // Netty's graceful-shutdown quiet period (default 5 s per Bolt event loop group) made every stop
        // take ~10 s more, although by then the databases are already checkpointed and closed.
        base.put(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);

        Path confPath = confFile == null || confFile.isBlank() ? null : Paths.get(confFile).toAbsolutePath();
        Log4jLogProvider userLog = new Log4jLogProvider(OUT, Level.INFO);

        // Registered before anything starts: a SIGTERM at any point waits for a DBMS that is being built,
        // then shuts it down cleanly (checkpoint, store files closed).
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            STOPPING.set(true);
            try {
                Files.deleteIfExists(readyFile);
                synchronized (LIFECYCLE) {
                    DatabaseManagementService dbms = CURRENT.getAndSet(null);
                    if (dbms != null) {
                        log("shutdown requested: stopping Neo4j");
                        dbms.shutdown();
                        log("Neo4j stopped cleanly");
                    }
                }
            } catch (Throwable t) {
                log("error during shutdown: " + t);
                t.printStackTrace(OUT);
            } finally {
                deletePidFileIfOurs(pidFile, pid);
                OUT.flush();
                stopped.countDown();
            }
        }, "neo4j-launcher-shutdown"));

        // First start: create the system database and set the password with Bolt still closed, so the
        // factory default neo4j/neo4j (change required) is never reachable over the network.
        Path marker = home.resolve("data").resolve(INITIALIZED_MARKER);
        if (!Files.exists(marker)) {
            log("first start: initialising databases and the password of user '" + USER + "' (Bolt closed)");
            DatabaseManagementService boot = startDbms(builder(home, base, false, host, port, confPath, userLog));
            if (boot == null) {
                return;
            }
            try {
                ensurePassword(boot, password);
            } finally {
                synchronized (LIFECYCLE) {
                    if (CURRENT.compareAndSet(boot, null)) {
                        boot.shutdown();
                    }
                }
            }
            if (STOPPING.get()) {
                return;
            }
            Files.writeString(marker, "initialised by timeline Neo4jLauncher at " + now() + "\n",
                    StandardCharsets.UTF_8);
        }

        DatabaseManagementService dbms = startDbms(builder(home, base, true, host, port, confPath, userLog));
        if (dbms == null) {
            return;
        }
        // Every start: make NEO4J_PASSWORD the password (a changed env var takes effect on restart).
        ensurePassword(dbms, password);
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
            throw new IllegalStateException("database '" + db.databaseName() + "' did not become available");
        }
        // The first query compiles cold too: it gets the administration commands' deadline.
        db.executeTransactionally("RETURN 1", Map.of(), r -> null, ADMIN_TIMEOUT);
        if (STOPPING.get()) {
            return;
        }
        Files.writeString(readyFile, pid + "\n", StandardCharsets.US_ASCII);
        log("READY: Bolt on " + host + ":" + port + " (user '" + USER + "', auth enabled)");
        stopped.await();
    }

    /** Builds (starts) a DBMS unless a shutdown has begun; returns null in that case. */
    private static DatabaseManagementService startDbms(DatabaseManagementServiceBuilder builder) {
        synchronized (LIFECYCLE) {
            if (STOPPING.get()) {
                return null;
            }
            DatabaseManagementService dbms = builder.build();
            CURRENT.set(dbms);
            return dbms;
        }
    }

    private static DatabaseManagementServiceBuilder builder(Path home, Map<Setting<?>, Object> base, boolean bolt,
            String host, int port, Path confFile, Log4jLogProvider userLog) {
        Map<Setting<?>, Object> settings = new HashMap<>(base);
        settings.put(BoltConnector.enabled, bolt);
        settings.put(BoltConnector.listen_address, new SocketAddress(host, port));
        settings.put(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
        SocketAddress advertised = advertisedAddress(host, port);
        if (advertised != null) {
            settings.put(BoltConnector.advertised_address, advertised);
        }
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(settings)
                .setUserLogProvider(userLog);
        if (confFile != null) {
            builder.loadPropertiesFromFile(confFile);
        }
        return builder;
    }

    /**
     * Makes {@code password} the password of user neo4j, with no change required at next login.
     * Idempotent; when the password already works (every restart with an unchanged NEO4J_PASSWORD)
     * nothing is written and the ~2 s cold compilation of the administration command is skipped.
     */
    /**
     * The administration commands of the first start compile cold; on a loaded machine that outlasts
     * the request deadline ({@code NEO4J_TX_TIMEOUT}, 10 s), which must not make the start fail.
     */
    static final Duration ADMIN_TIMEOUT = Duration.ofMinutes(2);

    static void ensurePassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        if (passwordWorks(system, password)) {
            log("password of user '" + USER + "' already matches NEO4J_PASSWORD");
            return;
        }
        try {
            system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password), r -> null, ADMIN_TIMEOUT);
            log("password of user '" + USER + "' set from NEO4J_PASSWORD");
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the value it already has: nothing to do then,
            // except clearing a pending change requirement.
            if (!messages(e).toLowerCase(Locale.ROOT).contains("cannot be the same")) {
                throw e;
            }
            boolean changeRequired = system.executeTransactionally(
                    "SHOW USERS YIELD user, passwordChangeRequired WHERE user = $u RETURN passwordChangeRequired",
                    Map.of("u", USER),
                    r -> r.hasNext() && Boolean.TRUE.equals(r.next().get("passwordChangeRequired")),
                    ADMIN_TIMEOUT);
            if (changeRequired) {
                system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD CHANGE NOT REQUIRED",
                        Map.of(), r -> null, ADMIN_TIMEOUT);
            }
            log("password of user '" + USER + "' already matches NEO4J_PASSWORD");
        }
    }

    /**
     * True if user neo4j can log in with {@code password} and no password change is pending. Uses the
     * DBMS's own AuthManager (an internal API, hence the broad fallback: on any problem the caller
     * just runs ALTER USER).
     */
    private static boolean passwordWorks(GraphDatabaseService system, String password) {
        try {
            AuthManager auth = ((GraphDatabaseAPI) system).getDependencyResolver().resolveDependency(AuthManager.class);
            LoginContext login = auth.login(AuthToken.newBasicAuthToken(USER, password),
                    ClientConnectionInfo.EMBEDDED_CONNECTION);
            return login.subject().getAuthenticationResult() == AuthenticationResult.SUCCESS;
        } catch (Exception | LinkageError e) {
            log("could not check the current password (" + e + "); setting it");
            return false;
        }
    }

    private static SocketAddress advertisedAddress(String host, int port) {
        String adv = System.getenv("NEO4J_BOLT_ADVERTISED_ADDRESS");
        if (adv != null && !adv.isBlank()) {
            return new SocketAddress(adv.trim());
        }
        SocketAddress listen = new SocketAddress(host, port);
        // For a wildcard listen address keep Neo4j's default (localhost); otherwise advertise exactly
        // what we listen on, so neo4j:// routing tables point back to the same reachable address.
        return listen.isWildcard() ? null : listen;
    }

    static Path homeDir() throws URISyntaxException {
        String fromEnv = System.getenv("NEO4J_HOME_DIR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Paths.get(fromEnv).toAbsolutePath().normalize();
        }
        // <repo>/graph/launcher/target/<jar> -> <repo>/.neo4j
        Path code = codeLocation();
        if (code != null && code.getParent() != null && code.getParent().getFileName() != null
                && code.getParent().getFileName().toString().equals("target")) {
            Path repo = code.getParent().getParent().getParent().getParent();
            if (repo != null) {
                return repo.resolve(".neo4j");
            }
        }
        return Paths.get(".neo4j").toAbsolutePath().normalize();
    }

    static Path pluginsDir() throws URISyntaxException {
        String fromEnv = System.getenv("NEO4J_PLUGINS_DIR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Paths.get(fromEnv).toAbsolutePath().normalize();
        }
        Path code = codeLocation();
        return code != null && code.getParent() != null
                ? code.getParent().resolve("plugins")
                : Paths.get("plugins").toAbsolutePath();
    }

    private static Path codeLocation() throws URISyntaxException {
        var source = Neo4jLauncher.class.getProtectionDomain().getCodeSource();
        return source == null ? null : Paths.get(source.getLocation().toURI()).toAbsolutePath().normalize();
    }

    private static void deletePidFileIfOurs(Path pidFile, long pid) {
        try {
            if (Files.exists(pidFile) && Files.readString(pidFile).trim().equals(Long.toString(pid))) {
                Files.delete(pidFile);
            }
        } catch (IOException e) {
            log("could not remove pid file " + pidFile + ": " + e);
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("NEO4J_BOLT_PORT must be a port number, got '" + value + "'");
    }

    private static long bytes(String name, String dflt) {
        String value = env(name, dflt);
        try {
            return ByteUnit.parse(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a size like 512m or 1g, got '" + value + "'", e);
        }
    }

    private static Duration duration(String name, String dflt) {
        String value = env(name, dflt);
        try {
            return SettingValueParsers.DURATION.parse(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration like 10s or 500ms, got '" + value + "'", e);
        }
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    private static String now() {
        return OffsetDateTime.now().format(TS);
    }

    static void log(String msg) {
        OUT.println(now() + " [launcher] " + msg);
        OUT.flush();
    }
}
