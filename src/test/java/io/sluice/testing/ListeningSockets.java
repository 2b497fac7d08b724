package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The network sockets a process listens on, read from Linux's {@code /proc}: its file descriptors name socket inodes,
 * and its network namespace's tables say which of those are TCP sockets in LISTEN state or UDP sockets bound and not
 * connected.
 */
public final class ListeningSockets {

    private static final String TCP_LISTEN = "0A";

    private ListeningSockets() {
    }

    /** Each listening socket of {@code pid} as {@code protocol local-address:port} (hex, as /proc shows them). */
    public static List<String> of(long pid) throws IOException {
        Path process = Path.of("/proc", String.valueOf(pid));
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> descriptors = Files.list(process.resolve("fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // Closed between listing and reading: not a socket of the process any more.
                }
            }
        }
        List<String> listening = new ArrayList<>();
        for (String protocol : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path table = process.resolve("net").resolve(protocol);
            if (!Files.exists(table)) {
                continue;
            }
            for (String line : Files.readAllLines(table).stream().skip(1).toList()) {
                String[] columns = line.trim().split("\\s+");
                // A UDP socket receives from anyone when it is bound and not connected (no remote address).
                boolean listens = protocol.startsWith("udp") ? columns[2].matches("0+:0000") : TCP_LISTEN.equals(columns[3]);
                if (listens && inodes.contains(columns[9])) {
                    listening.add(protocol + " " + columns[1]);
                }
            }
        }
        return listening;
    }
}
