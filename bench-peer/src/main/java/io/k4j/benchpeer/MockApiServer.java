package io.k4j.benchpeer;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * Starts fabric8's kubernetes-server-mock in CRUD mode over HTTPS on a free loopback port, prints
 * "URL https://127.0.0.1:PORT" and serves until its standard input closes (the benchmark ends it that way).
 */
public final class MockApiServer {

    private MockApiServer() {
    }

    public static void main(String[] args) throws Exception {
        // CRUD mode: the mock stores what it is sent and answers gets, lists and watches from it.
        KubernetesMockServer server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(),
                new io.fabric8.mockwebserver.MockWebServer(), new java.util.HashMap<>(),
                new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher(), true);
        server.init(java.net.InetAddress.getLoopbackAddress(), 0);
        System.out.println("URL https://127.0.0.1:" + server.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin
        }
        server.destroy();
    }
}
