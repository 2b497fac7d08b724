package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

/** The check DeployedArtifactIT holds the runtime to can see a listener: this process's own, and not a client socket. */
class ListeningSocketsTest {

    @Test
    void aServerSocketOfThisProcess_isListed_aClientSocketIsNot_andAClosedOneNoMore() throws Exception {
        long self = ProcessHandle.current().pid();
        String port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            port = String.format(":%04X", server.getLocalPort());

            assertThat(ListeningSockets.of(self)).filteredOn(socket -> socket.endsWith(port)).hasSize(1)
                    .allSatisfy(socket -> assertThat(socket).startsWith("tcp"));
        }
        assertThat(ListeningSockets.of(self)).noneMatch(socket -> socket.endsWith(port));
    }
}
