package io.sluice.event;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * A PostgreSQL JDBC URL as Sluice reads it, never handed to the driver as text: hosts and ports, the database, and only
 * the parameters in {@link #PARAMETERS}, each value checked. The driver knows parameters that load classes
 * ({@code socketFactory}, {@code sslfactory}, {@code sslhostnameverifier}, {@code sslpasswordcallback},
 * {@code authenticationPluginClassName}) or read files ({@code sslkey}, {@code sslcert}, {@code service}); a URL with
 * any of them, or any other, is an {@link InvalidRequest} naming it. {@code sslrootcert} is a file too: whoever builds
 * a connection from an event's URL checks it lies under the file roots.
 *
 * @param hosts      one or more hosts (an IPv6 address in brackets), tried in order as the driver does
 * @param ports      each host's port (5432 when the URL gives none)
 * @param database   the database, percent-decoded
 * @param parameters the parameters, percent-decoded, in the URL's order
 */
public record JdbcUrl(List<String> hosts, List<Integer> ports, String database, Map<String, String> parameters) {

    /** The parameters a URL may carry, as the driver spells them. */
    public static final List<String> PARAMETERS = List.of("sslmode", "sslrootcert", "ApplicationName", "connectTimeout",
            "socketTimeout", "tcpKeepAlive", "targetServerType");

    private static final String PREFIX = "jdbc:postgresql://";
    private static final int MAX_URL = 2_048;
    private static final int MAX_NAME_BYTES = 63;
    private static final int MAX_HOSTS = 8;
    /** A longer wait than a Lambda function can run is a mistake. */
    private static final int MAX_TIMEOUT_SECONDS = 900;
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252}))(?::(\\d{1,5}))?");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Set<String> SERVER_TYPES = Set.of("any", "primary", "secondary", "preferPrimary", "preferSecondary");
    private static final Set<String> CREDENTIALS = Set.of("user", "password", "sslpassword");

    public JdbcUrl {
        hosts = List.copyOf(hosts);
        ports = List.copyOf(ports);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Reads {@code url}; anything it does not take is an {@link InvalidRequest} about {@code database.jdbcUrl}. */
    public static JdbcUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("is required, e.g. jdbc:postgresql://host:5432/app");
        }
        if (url.length() > MAX_URL) {
            throw invalid("is longer than " + MAX_URL + " characters");
        }
        if (!url.startsWith(PREFIX) || url.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))
                || url.indexOf('#') >= 0) {
            throw shape();
        }
        String rest = url.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        int query = rest.indexOf('?');
        if (slash < 0 || (query >= 0 && query < slash)) {
            throw shape();
        }
        List<String> hosts = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (String authority : rest.substring(0, slash).split(",", -1)) {
            Matcher host = HOST.matcher(authority);
            if (!host.matches() || hosts.size() == MAX_HOSTS) {
                throw shape();
            }
            int port = host.group(2) == null ? 5432 : Integer.parseInt(host.group(2));
            if (port < 1 || port > 65_535) {
                throw invalid("names port " + port + "; a port is 1-65535");
            }
            hosts.add(host.group(1));
            ports.add(port);
        }
        String database = decode(query < 0 ? rest.substring(slash + 1) : rest.substring(slash + 1, query), "its database");
        if (database.isEmpty() || database.indexOf('/') >= 0 || database.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES
                || database.chars().anyMatch(Character::isISOControl)) {
            throw invalid("must name one database (at most " + MAX_NAME_BYTES + " bytes): jdbc:postgresql://host:port/dbname");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query >= 0) {
            for (String pair : rest.substring(query + 1).split("&", -1)) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals), "a parameter name");
                if (CREDENTIALS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw invalid("must not carry user or password parameters; put them in 'database.username' and 'database.password'");
                }
                if (!PARAMETERS.contains(name)) {
                    throw invalid("has the parameter '" + Echo.value(name) + "', which Sluice does not pass to the driver; it takes "
                            + String.join(", ", PARAMETERS) + " only");
                }
                if (equals < 0) {
                    throw invalid("has the parameter '" + name + "' without a value");
                }
                if (parameters.put(name, check(name, decode(pair.substring(equals + 1), "parameter '" + name + "'"))) != null) {
                    throw invalid("has the parameter '" + name + "' twice");
                }
            }
        }
        return new JdbcUrl(hosts, ports, database, parameters);
    }

    private static String check(String name, String value) {
        boolean valid = switch (name) {
            case "sslmode" -> SSL_MODES.contains(value);
            case "targetServerType" -> SERVER_TYPES.contains(value);
            case "tcpKeepAlive" -> value.equals("true") || value.equals("false");
            case "connectTimeout", "socketTimeout" -> value.matches("\\d{1,4}") && Integer.parseInt(value) <= MAX_TIMEOUT_SECONDS;
            case "ApplicationName" -> !value.isEmpty() && value.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES
                    && value.chars().noneMatch(Character::isISOControl);
            case "sslrootcert" -> value.startsWith("/") && value.chars().noneMatch(c -> Character.isISOControl(c));
            default -> false;
        };
        if (!valid) {
            throw invalid("has " + name + "=" + Echo.value(value) + "; " + switch (name) {
                case "sslmode" -> "sslmode is one of " + String.join(", ", SSL_MODES.stream().sorted().toList());
                case "targetServerType" -> "targetServerType is one of " + String.join(", ", SERVER_TYPES.stream().sorted().toList());
                case "tcpKeepAlive" -> "tcpKeepAlive is true or false";
                case "ApplicationName" -> "ApplicationName is 1-" + MAX_NAME_BYTES + " bytes without control characters";
                case "sslrootcert" -> "sslrootcert is an absolute path to a PEM file";
                default -> name + " is a number of seconds, 0-" + MAX_TIMEOUT_SECONDS;
            });
        }
        return value;
    }

    private static String decode(String text, String what) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("has a malformed %-escape in " + what);
        }
    }

    /** {@code sslmode}, or the driver's default {@code prefer}. */
    public String sslMode() {
        return parameters.getOrDefault("sslmode", "prefer");
    }

    /** The CA bundle file the URL names. */
    public Optional<String> sslRootCert() {
        return Optional.ofNullable(parameters.get("sslrootcert"));
    }

    /** The same server and parameters, another database. */
    public JdbcUrl withDatabase(String other) {
        return new JdbcUrl(hosts, ports, other, parameters);
    }

    /** The URL without its parameters: safe to show (they may hold file paths). */
    public String display() {
        StringBuilder text = new StringBuilder(PREFIX);
        for (int i = 0; i < hosts.size(); i++) {
            text.append(i == 0 ? "" : ",").append(hosts.get(i)).append(':').append(ports.get(i));
        }
        return text.append('/').append(URLEncoder.encode(database, StandardCharsets.UTF_8)).toString();
    }

    /** The URL as text again: {@link #display()} and the parameters, each encoded. */
    public String text() {
        StringBuilder text = new StringBuilder(display());
        char separator = '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            text.append(separator).append(parameter.getKey()).append('=').append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return text.toString();
    }

    private static InvalidRequest shape() {
        return invalid("must look like jdbc:postgresql://host:port/dbname[?options]");
    }

    private static InvalidRequest invalid(String problem) {
        return new InvalidRequest("field 'database.jdbcUrl' " + problem);
    }
}
