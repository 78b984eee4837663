package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Nodes.at;
import static io.k4j.apiserver.table.Nodes.name;
import static io.k4j.apiserver.table.Nodes.number;
import static io.k4j.apiserver.table.Nodes.string;
import static io.k4j.apiserver.table.Table.AGE;
import static io.k4j.apiserver.table.Table.CONTAINERS;
import static io.k4j.apiserver.table.Table.IMAGES;
import static io.k4j.apiserver.table.Table.NAME;
import static io.k4j.apiserver.table.Table.integer;
import static io.k4j.apiserver.table.Table.text;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision. */
final class AppsTables {

    private AppsTables() {
    }

    static final TableConvertor DEPLOYMENT = Table.of((deploy, now) -> {
        JsonNode spec = deploy.path("spec");
        JsonNode status = deploy.path("status");
        List<String> containers = Formats.containersAndImages(at(spec, "template", "spec"));
        return List.of(name(deploy), number(status, "readyReplicas") + "/" + desired(spec),
                number(status, "updatedReplicas"), number(status, "availableReplicas"), Ages.of(deploy, now),
                containers.get(0), containers.get(1),
                Objects.requireNonNullElse(Formats.selectorString(spec.path("selector")), "<invalid>"));
    }, NAME, text("Ready", "Number of the pod with ready state"),
            text("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired "
                    + "template spec."),
            text("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this "
                    + "deployment."),
            AGE, CONTAINERS, IMAGES, Table.selector("Label selector for pods."));

    static final TableConvertor REPLICA_SET = Table.of((rs, now) -> {
        JsonNode spec = rs.path("spec");
        List<String> containers = Formats.containersAndImages(at(spec, "template", "spec"));
        return List.of(name(rs), desired(spec), number(rs, "status", "replicas"), number(rs, "status", "readyReplicas"),
                Ages.of(rs, now), containers.get(0), containers.get(1), Formats.labelSelector(spec.path("selector")));
    }, NAME, integer("Desired", "Replicas is the number of desired replicas."),
            integer("Current", "Replicas is the most recently observed number of replicas."),
            integer("Ready", "The number of ready replicas for this replica set."), AGE, CONTAINERS, IMAGES,
            Table.selector("Selector is a label query over pods that should match the replica count."));

    static final TableConvertor STATEFUL_SET = Table.of((sts, now) -> {
        JsonNode spec = sts.path("spec");
        List<String> containers = Formats.containersAndImages(at(spec, "template", "spec"));
        return List.of(name(sts), number(sts, "status", "readyReplicas") + "/" + desired(spec), Ages.of(sts, now),
                containers.get(0), containers.get(1));
    }, NAME, text("Ready", "Number of the pod with ready state"), AGE, CONTAINERS, IMAGES);

    static final TableConvertor DAEMON_SET = Table.of((ds, now) -> {
        JsonNode spec = ds.path("spec");
        JsonNode status = ds.path("status");
        List<String> containers = Formats.containersAndImages(at(spec, "template", "spec"));
        return List.of(name(ds), number(status, "desiredNumberScheduled"), number(status, "currentNumberScheduled"),
                number(status, "numberReady"), number(status, "updatedNumberScheduled"),
                number(status, "numberAvailable"), Formats.labels(at(spec, "template", "spec", "nodeSelector")),
                Ages.of(ds, now), containers.get(0), containers.get(1), Formats.labelSelector(spec.path("selector")));
    }, NAME,
            integer("Desired", "The total number of nodes that should be running the daemon pod."),
            integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run "
                    + "the daemon pod."),
            integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of the "
                    + "daemon pod running with a Ready Condition."),
            integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
            integer("Available", "The number of nodes that should be running the daemon pod and have one or more of "
                    + "the daemon pod running and available."),
            text("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
            AGE, CONTAINERS, IMAGES,
            Table.selector("A label query over pods that are managed by the daemon set."));

    static final TableConvertor CONTROLLER_REVISION = Table.of((revision, now) -> {
        String controller = Formats.NONE;
        for (JsonNode owner : Nodes.items(revision, "metadata", "ownerReferences")) {
            if (Nodes.isTrue(owner, "controller")) {
                String apiVersion = string(owner, "apiVersion");
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                controller = Formats.resourceName(string(owner, "kind"), group, string(owner, "name"));
                break;
            }
        }
        return List.of(name(revision), controller, number(revision, "revision"), Ages.of(revision, now));
    }, NAME, text("Controller", "Controller of the object"),
            text("Revision", "Revision indicates the revision of the state represented by Data."), AGE);

    /** spec.replicas, which defaults to 1. */
    static long desired(JsonNode spec) {
        return Nodes.numberOr(spec, 1, "replicas");
    }
}
