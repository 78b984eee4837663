package io.k4j.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.scheduler.api.Explanation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code k4j explain pod NAME}: why the scheduler put a pod where it did, or why it is still pending, from the
 * explanation the scheduler records on the pod: which nodes each filter turned down, and the best-scored nodes with
 * each plugin's part of the score.
 */
@Command(name = "explain", description = "Explain a scheduling decision: k4j explain pod NAME [-n NAMESPACE].")
final class ExplainCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "pod (or po, pods)")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Default: $KUBECONFIG, else DATA_DIR/kubeconfig.yaml.")
    Path kubeconfig;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The server's data dir, for its kubeconfig.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (!List.of("pod", "pods", "po").contains(kind)) {
            throw new IllegalArgumentException("k4j explain: only pods can be explained, not \"" + kind + "\"");
        }
        try (KubernetesClient client = Clients.fromKubeconfig(Clients.resolveKubeconfig(kubeconfig, dataDir))) {
            Pod pod = client.pods().inNamespace(namespace).withName(name).get();
            if (pod == null) {
                throw new IllegalArgumentException("pods \"" + name + "\" not found in namespace " + namespace);
            }
            print(pod, spec.commandLine().getOut());
        }
        return 0;
    }

    static void print(Pod pod, PrintWriter out) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String json = annotations == null ? null : annotations.get(Explanation.ANNOTATION);
        if (json == null) {
            String node = pod.getSpec().getNodeName();
            out.println("Pod " + key + ": " + (node != null && !node.isEmpty()
                    ? "on node " + node + ", not placed by the k4j scheduler (spec.nodeName was set, or another scheduler bound it)"
                    : "no scheduling attempt recorded yet"));
            return;
        }
        Explanation explanation = Explanation.fromJson(json);
        if ("Scheduled".equals(explanation.result())) {
            out.printf("Pod %s: scheduled on %s by %s%n", key, explanation.node(), explanation.profile());
            out.printf("  %d of %d nodes evaluated, %d feasible%n", explanation.evaluatedNodes(), explanation.allNodes(),
                    explanation.feasibleNodes());
            printTopNodes(explanation.topNodes(), out);
            if (!explanation.rejected().isEmpty()) {
                out.println("Nodes turned down while searching:");
                printRejections(explanation.rejected(), out);
            }
            return;
        }
        out.printf("Pod %s: not scheduled (%s, profile %s)%n", key, explanation.result(), explanation.profile());
        PodCondition condition = pod.getStatus() == null || pod.getStatus().getConditions() == null ? null
                : pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
        out.println("  " + (explanation.message() != null && !explanation.message().isEmpty() ? explanation.message()
                : condition != null ? condition.getMessage() : ""));
        if (explanation.nominatedNode() != null && !explanation.nominatedNode().isEmpty()) {
            out.println("  preemption made room on " + explanation.nominatedNode() + " (nominated node)");
        }
        if (!explanation.rejected().isEmpty()) {
            out.printf("Nodes turned down (%d of %d nodes):%n", explanation.evaluatedNodes(), explanation.allNodes());
            printRejections(explanation.rejected(), out);
        }
    }

    private static void printRejections(List<Explanation.Rejection> rejections, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"FILTER", "REASON", "NODES", "EXAMPLES"});
        for (Explanation.Rejection rejection : rejections) {
            String examples = String.join(", ", rejection.nodes());
            if (rejection.count() > rejection.nodes().size()) {
                examples += ", ... (" + (rejection.count() - rejection.nodes().size()) + " more)";
            }
            rows.add(new String[] {rejection.plugin(), rejection.reason(), String.valueOf(rejection.count()), examples});
        }
        printTable(rows, out);
    }

    private static void printTopNodes(List<Explanation.Candidate> candidates, PrintWriter out) {
        if (candidates.isEmpty()) {
            return;
        }
        TreeSet<String> plugins = new TreeSet<>();
        candidates.forEach(candidate -> plugins.addAll(candidate.plugins().keySet()));
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("NODE", "SCORE"));
        header.addAll(plugins);
        rows.add(header.toArray(String[]::new));
        for (Explanation.Candidate candidate : candidates) {
            List<String> row = new ArrayList<>(List.of(candidate.node(), String.valueOf(candidate.score())));
            plugins.forEach(plugin -> row.add(String.valueOf(candidate.plugins().getOrDefault(plugin, 0L))));
            rows.add(row.toArray(String[]::new));
        }
        out.println("Best-scored nodes (weighted score per plugin):");
        printTable(rows, out);
    }

    private static void printTable(List<String[]> rows, PrintWriter out) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < columns; i++) {
                line.append(' ').append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
