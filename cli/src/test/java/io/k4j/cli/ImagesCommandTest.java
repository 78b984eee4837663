package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code k4j images import} and {@code k4j images list}, in-process, on a docker-archive made with tar. */
class ImagesCommandTest {
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
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    @Test
    void importsADockerArchiveThenListsIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/tar")), "needs tar to build the test archive");
        Path archive = dockerArchive("example.com/team/app:v1");
        Path dataDir = dir.resolve("data");

        Run imported = run("images", "import", archive.toString(), "--data-dir", dataDir.toString());
        Run listed = run("images", "list", "--data-dir", dataDir.toString());

        assertThat(imported.err()).isEmpty();
        assertThat(imported.exitCode()).isZero();
        String id = imported.out().replaceAll("(?s).*\\((sha256:[0-9a-f]{64})\\).*", "$1");
        assertThat(imported.out()).isEqualTo("Imported example.com/team/app:v1 (" + id + ")\n");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out().lines()).containsExactly(
                String.format("%-23s%-20s%-20s%s", "IMAGE", "TAG", "IMAGE ID", "SIZE"),
                String.format("%-23s%-20s%-20s%s", "example.com/team/app", "v1", id.substring(7, 20), "10.2kB"));
        assertThat(Files.readString(dataDir.resolve("agent/images/layers/sha256")
                .resolve(layerDiffId.substring(7)).resolve("hello.txt"))).isEqualTo("hi from the layer\n");
    }

    @Test
    void aMissingOrBadFileIsOneLine() throws Exception {
        Run missing = run("images", "import", dir.resolve("nope.tar").toString(), "--data-dir", dir.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("k4j: " + dir.resolve("nope.tar") + ": no such file\n");

        Path text = Files.writeString(dir.resolve("notes.txt"), "not an archive");
        Run bad = run("images", "import", text.toString(), "--data-dir", dir.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("k4j: not a tar archive\n");
    }

    @Test
    void anEmptyStoreListsOnlyTheHeader() {
        Run listed = run("images", "ls", "--data-dir", dir.toString());
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).isEqualTo(String.format("%-20s%-20s%-20s%s%n", "IMAGE", "TAG", "IMAGE ID", "SIZE"));
    }

    @Test
    void sizesReadLikeCrictl() {
        assertThat(ImagesCommand.humanSize(0)).isEqualTo("0B");
        assertThat(ImagesCommand.humanSize(999)).isEqualTo("999B");
        assertThat(ImagesCommand.humanSize(1087829)).isEqualTo("1.09MB");
        assertThat(ImagesCommand.humanSize(772_000)).isEqualTo("772kB");
        assertThat(ImagesCommand.humanSize(2_000_000_000L)).isEqualTo("2GB");
    }

    private String layerDiffId;

    /** docker save's layout: a layer tar, a config naming its diff id, manifest.json; all in one tar. */
    private Path dockerArchive(String repoTag) throws Exception {
        Path layerRoot = Files.createDirectories(dir.resolve("layer-root"));
        Files.writeString(layerRoot.resolve("hello.txt"), "hi from the layer\n");
        Path content = Files.createDirectories(dir.resolve("archive"));
        Path layer = content.resolve("layer.tar");
        tar(layerRoot, layer);
        layerDiffId = sha256(layer);
        String config = """
                {"architecture":"amd64","os":"linux","config":{"Cmd":["/hello"]},\
                "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(layerDiffId);
        Path configFile = content.resolve("config.json");
        Files.writeString(configFile, config);
        Files.writeString(content.resolve("manifest.json"), """
                [{"Config":"config.json","RepoTags":["%s"],"Layers":["layer.tar"]}]""".formatted(repoTag));
        Path archive = dir.resolve("image.tar");
        tar(content, archive);
        return archive;
    }

    private static void tar(Path from, Path to) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("tar", "-C", from.toString(), "-cf", to.toString(), ".")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            digest.update(in.readAllBytes());
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
