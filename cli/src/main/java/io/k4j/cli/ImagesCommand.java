package io.k4j.cli;

import io.k4j.kubelet.image.Image;
import io.k4j.kubelet.image.LocalImageService;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code k4j images}: the node's image store (DATA_DIR/agent/images), as the agent uses it. */
@Command(name = "images", description = "List the node's images or import image archives into its store.",
        subcommands = {ImagesCommand.Import.class, ImagesCommand.ListImages.class})
final class ImagesCommand implements Runnable {
    private static final String[] SIZE_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The data-dir option both subcommands share. */
    static final class StoreOptions {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "k4j's data directory (default: /var/lib/k4j as root, else ~/.k4j); images are in DIR/agent/images")
        Path dataDir;

        LocalImageService open() throws IOException {
            Path dir = dataDir != null ? dataDir : ServerCommand.defaultDataDir();
            return LocalImageService.builder().root(dir.resolve("agent").resolve("images")).build();
        }
    }

    @Command(name = "import", description = "Import images from OCI layout or docker-archive tar files (docker save, skopeo copy ... docker-archive:FILE).")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "image archive (.tar or .tar.gz)")
        List<Path> files;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                LocalImageService images = store.open();
                for (Path file : files) {
                    for (Image image : images.importArchive(file)) {
                        List<String> names = image.repoTags().isEmpty() ? List.of("<none>") : image.repoTags();
                        for (String name : names) {
                            out.printf("Imported %s (%s)%n", name, image.id());
                        }
                    }
                }
                return 0;
            } catch (IOException e) {
                spec.commandLine().getErr().println("k4j: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "list", aliases = "ls", description = "List the images in the store, like crictl images.")
    static final class ListImages implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() {
            try {
                print(store.open().list(), spec.commandLine().getOut());
                return 0;
            } catch (IOException e) {
                spec.commandLine().getErr().println("k4j: " + e.getMessage());
                return 1;
            }
        }
    }

    /** IMAGE, TAG, IMAGE ID (13 hex digits), SIZE: one row per tag, like crictl. */
    static void print(List<Image> images, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        for (Image image : images) {
            String id = image.id().replaceFirst("^sha256:", "");
            String shortId = id.substring(0, Math.min(13, id.length()));
            String size = humanSize(image.size());
            if (!image.repoTags().isEmpty()) {
                for (String tagged : image.repoTags()) {
                    int colon = tagged.lastIndexOf(':');
                    rows.add(new String[] {tagged.substring(0, colon), tagged.substring(colon + 1), shortId, size});
                }
            } else if (!image.repoDigests().isEmpty()) {
                for (String digested : image.repoDigests()) {
                    rows.add(new String[] {digested.substring(0, digested.indexOf('@')), "<none>", shortId, size});
                }
            } else {
                rows.add(new String[] {"<none>", "<none>", shortId, size});
            }
        }
        rows.sort(Comparator.comparing((String[] row) -> row[0]).thenComparing(row -> row[1]));
        rows.addFirst(new String[] {"IMAGE", "TAG", "IMAGE ID", "SIZE"});
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < 3; i++) {
                widths[i] = Math.max(widths[i], Math.max(row[i].length() + 3, 20));
            }
        }
        for (String[] row : rows) {
            out.println(String.format("%-" + widths[0] + "s%-" + widths[1] + "s%-" + widths[2] + "s%s",
                    row[0], row[1], row[2], row[3]));
        }
        out.flush();
    }

    /** Decimal units with three significant digits, as crictl (docker's units.HumanSizeWithPrecision) shows them. */
    static String humanSize(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros();
        return rounded.toPlainString() + SIZE_UNITS[unit];
    }
}
