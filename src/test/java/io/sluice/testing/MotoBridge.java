package io.sluice.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.sluice.workflow.HandlerInvocation;

/**
 * moto with Lambda for real: {@code .ci/moto-lambda-bridge.py} runs moto's server and forwards every Lambda invocation
 * to this JVM, where the handler registered under the function's name answers it (a handler's exception goes back as
 * Lambda reports a function error). So moto's Step Functions engine runs a definition through the real handlers, and
 * they in turn call moto's Secrets Manager, S3, SNS, DynamoDB and Step Functions. One per test class; {@link #close()}
 * stops both.
 */
public final class MotoBridge implements AutoCloseable {

    private static final int FUNCTION_TIMEOUT_SECONDS = 900;

    private final Map<String, RequestStreamHandler> handlers = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final Process moto;
    private final String endpoint;

    private MotoBridge(HttpServer server, Process moto, String endpoint) {
        this.server = server;
        this.moto = moto;
        this.endpoint = endpoint;
    }

    /** Starts the bridge; skips the calling test when moto cannot be run here. */
    public static MotoBridge start() throws IOException, InterruptedException {
        Path python = MotoServer.python();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        MotoBridge[] bridge = new MotoBridge[1];
        server.createContext("/", exchange -> bridge[0].answer(exchange));
        server.start();
        Process moto = new ProcessBuilder(python.toString(), Path.of(".ci", "moto-lambda-bridge.py").toString(),
                "http://127.0.0.1:" + server.getAddress().getPort())
                .redirectError(Path.of("target", "ci-tools", "moto", "bridge.log").toFile()).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(moto.getInputStream(), StandardCharsets.UTF_8));
        String first = lines.readLine();
        if (first == null || !first.startsWith("endpoint ")) {
            moto.destroy();
            server.stop(0);
            Assumptions.abort("moto's Lambda bridge did not start: see target/ci-tools/moto/bridge.log");
        }
        bridge[0] = new MotoBridge(server, moto, first.substring("endpoint ".length()));
        return bridge[0];
    }

    public String endpoint() {
        return endpoint;
    }

    /** Answers invocations of the function named {@code name} (the last part of its ARN) with {@code handler}. */
    public void register(String name, RequestStreamHandler handler) {
        handlers.put(name, handler);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring(1);
            RequestStreamHandler handler = handlers.get(name);
            byte[] payload;
            try (InputStream in = exchange.getRequestBody()) {
                payload = in.readAllBytes();
            }
            byte[] body;
            if (handler == null) {
                body = ("{\"errorType\": \"ResourceNotFoundException\", \"errorMessage\": \"no handler for " + name + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Function-Error", "Unhandled");
            } else {
                try {
                    body = HandlerInvocation.invoke(handler, name, payload,
                            System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(FUNCTION_TIMEOUT_SECONDS));
                } catch (HandlerInvocation.FunctionError e) {
                    body = e.payload().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("X-Function-Error", "Unhandled");
                }
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() throws IOException {
        moto.getOutputStream().close();
        try {
            if (!moto.waitFor(10, TimeUnit.SECONDS)) {
                moto.destroy();
            }
        } catch (InterruptedException e) {
            moto.destroy();
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
