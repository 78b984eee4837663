package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code k4j agent}'s flag and join errors: one clear line each, no stack trace. */
class AgentCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine commandLine = K4j.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void theServerIsRequired() {
        Run run = run("agent", "--token", "t");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--server=URL'");
    }

    @Test
    void theTokenComesFromExactlyOnePlace() {
        Run neither = run("agent", "--server", "https://127.0.0.1:6443", "--runtime", "simulated");
        Run missingFile = run("agent", "--server", "https://127.0.0.1:6443", "--runtime", "simulated",
                "--token-file", dir.resolve("nope").toString());
        assertThat(neither.err()).isEqualTo("k4j: give the join token with either --token or --token-file\n");
        assertThat(missingFile.err()).startsWith("k4j: --token-file: cannot read " + dir.resolve("nope"));
    }

    @Test
    void theServerMustBeAnHttpsUrl() {
        Run run = run("agent", "--server", "http://10.0.0.1:6443", "--token", "t", "--data-dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("k4j: --server: \"http://10.0.0.1:6443\" is not an https://HOST:PORT URL\n");
    }

    @Test
    void anUnreachableServerIsOneLine() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // closed again: nobody listens there
        }
        Run run = run("agent", "--server", "https://127.0.0.1:" + port, "--token", "t", "--runtime", "simulated",
                "--node-name", "n1", "--data-dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("k4j: cannot join https://127.0.0.1:" + port + "/: ").doesNotContain("\tat ");
    }

    @Test
    void badNodeFlagsAreNamed() {
        assertThat(run("agent", "--server", "https://127.0.0.1:6443", "--token", "t", "--runtime", "docker").err())
                .isEqualTo("k4j: --runtime: unknown runtime docker; known: [runc, crun, simulated]\n");
        assertThat(run("agent", "--server", "https://127.0.0.1:6443", "--token", "t", "--runtime", "simulated",
                "--node-name", "Bad_Name").err()).startsWith("k4j: --node-name: \"Bad_Name\" is not a valid node name");
        assertThat(run("server", "--disable", "kubelets").err()).contains("unknown component kubelets")
                .contains("kubelet");
    }
}
