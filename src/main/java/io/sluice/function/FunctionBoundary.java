package io.sluice.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.error.AuthenticationFailed;
import io.sluice.error.DriftDetected;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.error.NotAllowed;
import io.sluice.error.SluiceException;
import io.sluice.error.UnexpectedError;
import io.sluice.event.Caller;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.Request;
import io.sluice.event.WithMigrations;
import io.sluice.event.WithOtherDatabase;
import io.sluice.event.WithScratch;
import io.sluice.isolation.InvocationDeadline;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.migration.DatabaseConnector;
import io.sluice.metrics.MetricsSink;
import io.sluice.tracing.Tracing;

/**
 * What every handler does around its command: bound and parse the event, put the correlation id into the log
 * context, refuse a database the deployment does not let events name ({@link DatabaseTargets}), fetch an S3 bundle
 * and resolve a database secret the event names, write the result (cut to what a state machine takes, the whole one
 * kept: {@link BoundedResults}), write the invocation's metric line and the notification its result calls for, and
 * turn every failure into a typed error the caller can act on. The caller sees the error's
 * type and a bounded message, never a cause chain or a stack trace; the log gets one line per failure, and the stack
 * trace of an unexpected one at debug level.
 */
@ApplicationScoped
public class FunctionBoundary {

    private static final Logger LOG = Logger.getLogger(FunctionBoundary.class);

    /** The largest event accepted: Step Functions' payload limit; Sluice's own events are a few hundred bytes. */
    static final int MAX_EVENT_BYTES = 256 * 1024;

    private final EventCodec codec;
    private final InvocationMetrics metrics;
    private final DatabaseSecrets secrets;
    private final MigrationBundles bundles;
    private final Notifications notifications;
    private final DatabaseTargets targets;
    private final BoundedResults results;
    private final Tracing tracing;
    /** What a failed invocation does last: drop the connections kept for warm calls, whatever state they are in. */
    private final Runnable afterFailure;

    @Inject
    public FunctionBoundary(EventCodec codec, InvocationMetrics metrics, DatabaseSecrets secrets, MigrationBundles bundles,
            Notifications notifications, FullReports reports, DatabaseTargets targets, Tracing tracing, DatabaseConnector connector) {
        this(codec, metrics, secrets, bundles, notifications, reports, targets, tracing, connector::discardKept);
    }

    /** Keeping no connection between invocations. */
    public FunctionBoundary(EventCodec codec, InvocationMetrics metrics, DatabaseSecrets secrets, MigrationBundles bundles,
            Notifications notifications, FullReports reports, DatabaseTargets targets, Tracing tracing) {
        this(codec, metrics, secrets, bundles, notifications, reports, targets, tracing, () -> { });
    }

    private FunctionBoundary(EventCodec codec, InvocationMetrics metrics, DatabaseSecrets secrets, MigrationBundles bundles,
            Notifications notifications, FullReports reports, DatabaseTargets targets, Tracing tracing, Runnable afterFailure) {
        this.afterFailure = afterFailure;
        this.tracing = tracing;
        this.codec = codec;
        this.metrics = metrics;
        this.secrets = secrets;
        this.bundles = bundles;
        this.notifications = notifications;
        this.targets = targets;
        this.results = new BoundedResults(codec.mapper(), reports);
    }

    /** Without tracing. */
    public FunctionBoundary(EventCodec codec, InvocationMetrics metrics, DatabaseSecrets secrets, MigrationBundles bundles,
            Notifications notifications, FullReports reports, DatabaseTargets targets) {
        this(codec, metrics, secrets, bundles, notifications, reports, targets, Tracing.OFF);
    }

    /** Without tracing, taking the databases a local run may name ({@link DatabaseTargets#LOCAL}). */
    public FunctionBoundary(EventCodec codec, InvocationMetrics metrics, DatabaseSecrets secrets, MigrationBundles bundles,
            Notifications notifications, FullReports reports) {
        this(codec, metrics, secrets, bundles, notifications, reports, DatabaseTargets.LOCAL);
    }

    /** Without AWS access or tracing; a result too large is cut and not kept. */
    public FunctionBoundary(EventCodec codec, InvocationMetrics metrics) {
        this(codec, metrics, DatabaseSecrets.NONE, MigrationBundles.NONE, Notifications.NONE, FullReports.NONE);
    }

    /** Without metric lines or AWS access: for runs outside Lambda. */
    public FunctionBoundary(EventCodec codec) {
        this(codec, new InvocationMetrics(MetricsSink.NONE));
    }

    /**
     * Runs {@code command} as {@link #handle(String, InputStream, OutputStream, Class, Function)} does, within the
     * invocation's deadline: the scratch work it does ends before it ({@link InvocationDeadline}).
     */
    public <T extends Request> void handle(String function, InputStream input, OutputStream output, Class<T> eventType,
            Function<T, Object> command, Context context) throws IOException {
        Duration left = Invocations.timeLeft(context);
        handle(function, input, output, eventType, request -> InvocationDeadline.during(left, () -> command.apply(request)));
    }

    /** Runs {@code command} on the event in {@code input} and writes its result to {@code output}. */
    public <T extends Request> void handle(String function, InputStream input, OutputStream output, Class<T> eventType,
            Function<T, Object> command) throws IOException {
        LogContext.begin(function);
        try (Tracing.Invocation span = tracing.begin(function)) {
            handle(function, input, output, eventType, command, span);
        }
    }

    private <T extends Request> void handle(String function, InputStream input, OutputStream output, Class<T> eventType,
            Function<T, Object> command, Tracing.Invocation span) throws IOException {
        long started = System.nanoTime();
        Object result;
        try {
            T request = codec.read(bounded(input), eventType);
            LogContext.deployment(request.deploymentId());
            span.deployment(request.deploymentId().value());
            result = run(request, command);
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(function, e, span, started);
        }
        output.write(results.bound(function, deploymentId(), result));
        metrics.succeeded(function, deploymentId(), result, millis(started));
        FunctionNotices.of(function, result).ifPresent(notifications::publish);
    }

    /**
     * Runs {@code command} on a function URL request (payload format 2.0, {@code AWS_IAM} auth): the caller is the IAM
     * principal AWS put into {@code requestContext.authorizer.iam}, the event is the body. What it writes is the HTTP
     * response: 200 with the result, or the error's status (400 for {@code InvalidRequest}, 403 for {@code NotAllowed},
     * 503 for a transient error, 500 else) with {@code errorType} and {@code errorMessage}, as a failed invocation
     * would carry them.
     */
    public <T extends Request> void handleUrl(String function, InputStream input, OutputStream output, Class<T> eventType,
            BiFunction<T, Caller, Object> command) throws IOException {
        LogContext.begin(function);
        try (Tracing.Invocation span = tracing.begin(function)) {
            long started = System.nanoTime();
            int status = 200;
            byte[] body;
            try {
                JsonNode request = codec.mapper().readTree(bounded(input));
                Caller caller = new Caller(request.at("/requestContext/authorizer/iam/userArn").asText(null));
                T event = codec.read(body(request), eventType);
                LogContext.deployment(event.deploymentId());
                span.deployment(event.deploymentId().value());
                Object result = run(event, each -> command.apply(each, caller));
                body = results.bound(function, deploymentId(), result);
                metrics.succeeded(function, deploymentId(), result, millis(started));
                FunctionNotices.of(function, result).ifPresent(notifications::publish);
            } catch (IOException | RuntimeException | StackOverflowError e) {
                SluiceException forCaller = failure(function, e instanceof IOException
                        ? new InvalidRequest("the request is not JSON: " + Echo.value(e.getMessage())) : e, span, started);
                status = forCaller instanceof InvalidRequest ? 400 : forCaller instanceof NotAllowed ? 403
                        : forCaller.code().isTransient() ? 503 : 500;
                body = codec.mapper().writeValueAsBytes(codec.mapper().createObjectNode()
                        .put("errorType", forCaller.getClass().getName()).put("errorMessage", forCaller.getMessage()));
            }
            ObjectNode response = codec.mapper().createObjectNode().put("statusCode", status);
            response.putObject("headers").put("content-type", "application/json");
            response.put("body", new String(body, StandardCharsets.UTF_8));
            output.write(codec.mapper().writeValueAsBytes(response));
        }
    }

    /** The body of a function URL request, decoded when Lambda sent it base64-encoded. */
    private static byte[] body(JsonNode request) {
        JsonNode body = request.get("body");
        if (body == null || !body.isTextual()) {
            throw new InvalidRequest("the request has no body: send the event as JSON in the request's body");
        }
        if (request.path("isBase64Encoded").asBoolean(false)) {
            try {
                return Base64.getDecoder().decode(body.asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest("the request's body is marked base64 and is not");
            }
        }
        return body.asText().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What every failure becomes: one log line (the stack trace of an unexpected one at debug level), a metric line, the
     * drift notice a {@code DriftDetected} calls for, and the error the caller gets: its type and a bounded message.
     */
    private SluiceException failure(String function, Throwable failure, Tracing.Invocation span, long started) {
        afterFailure.run();
        if (failure instanceof SluiceException e) {
            span.failed(e.getClass().getName(), Echo.message(e.getMessage()));
            LOG.errorf("%s failed: %s: %s", function, e.getClass().getSimpleName(), Echo.message(e.getMessage()));
            if (e.getCause() != null) {
                LOG.debugf(e, "%s failed", function);
            }
            metrics.failed(function, deploymentId(), e.getClass().getSimpleName(), millis(started));
            SluiceException forCaller = e.forCaller();
            if (e instanceof DriftDetected) {
                notifications.publish(FunctionNotices.driftDetected(function, deploymentId(), forCaller.getMessage()));
            }
            return forCaller;
        }
        span.failed(UnexpectedError.class.getName(), Echo.value(failure.toString()));
        LOG.errorf("%s failed unexpectedly: %s", function, Echo.value(failure.toString()));
        LOG.debugf(failure, "%s failed unexpectedly", function);
        metrics.failed(function, deploymentId(), UnexpectedError.class.getSimpleName(), millis(started));
        return new UnexpectedError(function + " failed unexpectedly (" + failure.getClass().getSimpleName() + ") for deployment "
                + deploymentId() + "; nothing more is known to the caller, the function's log has the details").forCaller();
    }

    private static byte[] bounded(InputStream input) throws IOException {
        byte[] event = input.readNBytes(MAX_EVENT_BYTES + 1);
        if (event.length > MAX_EVENT_BYTES) {
            throw new InvalidRequest("event is larger than " + MAX_EVENT_BYTES + " bytes; Sluice's events are small JSON objects");
        }
        return event;
    }

    /**
     * Runs {@code command}; an event naming an S3 bundle gets the bundle's folder first, one naming a secret its URL and
     * credentials, read once more when the database rejects them (a rotation since the cached read). Nothing has
     * changed when that happens: the rejection comes with the first connection.
     */
    @SuppressWarnings("unchecked")
    private <T extends Request> Object run(T event, Function<T, Object> command) {
        T request = event;
        targets.check(request.database());
        if (request instanceof WithMigrations named && named.migrations().isBundle()) {
            request = (T) named.withMigrations(bundles.fetch(named.migrations()));
        }
        if (request instanceof WithScratch scratch) {
            DatabaseTarget server = targets.scratch(scratch);
            if (server != null) {
                request = (T) scratch.withScratch(server.isSecret() ? secrets.resolve(server.secretArn(), false) : server);
            }
        }
        if (request instanceof WithOtherDatabase compared) {
            // The other database is a database as much as the first: the same allowed secrets, the same credentials rule.
            targets.check(compared.other(), "other");
            if (compared.other().isSecret()) {
                request = (T) compared.withOther(secrets.resolve(compared.other().secretArn(), false));
            }
        }
        if (request.database() == null || !request.database().isSecret() || !request.connects()) {
            return command.apply(request);
        }
        String secret = request.database().secretArn();
        try {
            return command.apply((T) request.withDatabase(secrets.resolve(secret, false)));
        } catch (AuthenticationFailed e) {
            LOG.infof("the database rejected the credentials of secret %s as cached; reading it again (rotated?)", Echo.value(secret));
            return command.apply((T) request.withDatabase(secrets.resolve(secret, true)));
        }
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static String deploymentId() {
        Object id = MDC.get(LogContext.DEPLOYMENT_ID);
        return id == null ? "(none)" : id.toString();
    }
}
