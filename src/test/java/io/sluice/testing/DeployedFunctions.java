package io.sluice.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.sluice.cli.LocalFunctions;
import io.sluice.config.SluiceConfig;

/**
 * The functions with the configuration Terraform gives them: the environment of {@code aws_lambda_function.this}
 * evaluated with every variable at its default ({@link TerraformModule}), the stand-ins a test created for what exists
 * only after apply, what Lambda itself sets ({@code AWS_REGION}, {@code LAMBDA_TASK_ROOT}: the unpacked function.zip),
 * and the emulator's endpoint and credentials, which AWS's own endpoints and the function's role replace deployed.
 * Nothing else: the default (prod) profile, as in Lambda.
 */
public final class DeployedFunctions {

    /** The region the emulated resources live in. */
    public static final String REGION = "us-east-1";

    private final Map<String, String> standIns;
    private final Path taskRoot;
    private final String endpoint;
    private Map<String, RequestStreamHandler> handlers;

    /**
     * @param standIns what stands in for each attribute known only after apply ({@code aws_db_instance.this.address}, ...)
     * @param taskRoot the folder function.zip is unpacked in ({@code LAMBDA_TASK_ROOT})
     * @param endpoint the AWS emulator's endpoint
     */
    public DeployedFunctions(Map<String, String> standIns, Path taskRoot, String endpoint) {
        this.standIns = Map.copyOf(standIns);
        this.taskRoot = taskRoot;
        this.endpoint = endpoint;
    }

    /** Where function.zip is unpacked: {@code LAMBDA_TASK_ROOT}. */
    public Path taskRoot() {
        return taskRoot;
    }

    /** The same functions unpacked somewhere else (another bundle at the root, or none). */
    public DeployedFunctions withTaskRoot(Path other) {
        return new DeployedFunctions(standIns, other, endpoint);
    }

    /** Terraform's environment of {@code handler}'s function, alone. */
    public Map<String, String> terraformEnvironment(String handler) {
        return TerraformModule.functionEnvironment(handler, standIns);
    }

    /** Everything the function's process sees: Terraform's environment, Lambda's, the emulator's. */
    public Map<String, String> environment(String handler) {
        Map<String, String> environment = new LinkedHashMap<>(terraformEnvironment(handler));
        environment.put("AWS_REGION", REGION);
        environment.put("LAMBDA_TASK_ROOT", taskRoot.toAbsolutePath().toString());
        environment.put("SLUICE_AWS_ENDPOINT", endpoint);
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        return environment;
    }

    /** Sluice's configuration as the function of {@code handler} reads it from that environment. */
    public SluiceConfig config(String handler) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDefaultSources()
                .addDiscoveredSources()
                .withSources(new EnvConfigSource(environment(handler), 1_000))
                .withMapping(SluiceConfig.class)
                .build();
        return config.getConfigMapping(SluiceConfig.class);
    }

    /**
     * The handlers in this process, by the ARN the rendered pipeline names, built from that configuration once: warm
     * containers, keeping what they cache (a secret read) from one invocation to the next.
     */
    public synchronized Map<String, RequestStreamHandler> byArn() {
        if (handlers == null) {
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
            handlers = LocalFunctions.byArn(config("migrate"));
        }
        return handlers;
    }

    /** One handler: the function of {@code handler}, configured as deployed, warm after its first invocation. */
    public RequestStreamHandler handler(String handler) {
        return byArn().get(LocalFunctions.arn(handler));
    }
}
