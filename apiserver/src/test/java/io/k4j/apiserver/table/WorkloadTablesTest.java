package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Fixtures.headers;
import static io.k4j.apiserver.table.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkloadTablesTest {

    private static final String TEMPLATE = """
            "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
              {"name":"nginx","image":"nginx:1.27"},{"name":"sidecar","image":"busybox"}]}}""";

    @Test
    void deployment() {
        assertThat(headers("apps", "Deployment")).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE",
                "CONTAINERS*", "IMAGES*", "SELECTOR*");
        assertThat(row("apps", "Deployment", """
                {"metadata":{"name":"web","creationTimestamp":"2024-12-31T12:00:00Z"},
                 "spec":{"replicas":3,
                   "selector":{"matchLabels":{"tier":"front","app":"web"},
                     "matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]},
                                         {"key":"canary","operator":"DoesNotExist"}]},
                   %s},
                 "status":{"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}}""".formatted(TEMPLATE)))
                .containsExactly("web", "2/3", 3L, 2L, "24h", "nginx,sidecar", "nginx:1.27,busybox",
                        "app=web,!canary,env in (dev,prod),tier=front");
    }

    @Test
    void deploymentWithoutStatusOrSelector() {
        assertThat(row("apps", "Deployment", """
                {"metadata":{"name":"new","creationTimestamp":"2025-01-01T11:59:58Z"},"spec":{}}"""))
                .containsExactly("new", "0/1", 0L, 0L, "2s", "", "", "");
    }

    @Test
    void replicaSetAndStatefulSet() {
        assertThat(row("apps", "ReplicaSet", """
                {"metadata":{"name":"web-5d9c","creationTimestamp":"2025-01-01T11:00:00Z"},
                 "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},%s},
                 "status":{"replicas":2,"readyReplicas":1}}""".formatted(TEMPLATE)))
                .containsExactly("web-5d9c", 2L, 2L, 1L, "60m", "nginx,sidecar", "nginx:1.27,busybox", "app=web");
        assertThat(headers("apps", "StatefulSet")).containsExactly("NAME", "READY", "AGE", "CONTAINERS*", "IMAGES*");
        assertThat(row("apps", "StatefulSet", """
                {"metadata":{"name":"db","creationTimestamp":"2025-01-01T11:00:00Z"},
                 "spec":{"replicas":3,"serviceName":"db",%s},"status":{"readyReplicas":3}}""".formatted(TEMPLATE)))
                .containsExactly("db", "3/3", "60m", "nginx,sidecar", "nginx:1.27,busybox");
    }

    @Test
    void daemonSet() {
        assertThat(headers("apps", "DaemonSet")).containsExactly("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE",
                "AVAILABLE", "NODE SELECTOR", "AGE", "CONTAINERS*", "IMAGES*", "SELECTOR*");
        assertThat(row("apps", "DaemonSet", """
                {"metadata":{"name":"agent","creationTimestamp":"2025-01-01T11:00:00Z"},
                 "spec":{"selector":{"matchLabels":{"app":"agent"}},
                   "template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"},
                     "containers":[{"name":"agent","image":"agent:1"}]}}},
                 "status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,
                   "updatedNumberScheduled":3,"numberAvailable":2}}"""))
                .containsExactly("agent", 3L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux", "60m", "agent", "agent:1",
                        "app=agent");
    }

    @Test
    void controllerRevisionNamesItsController() {
        assertThat(row("apps", "ControllerRevision", """
                {"metadata":{"name":"agent-6b7c","creationTimestamp":"2025-01-01T11:00:00Z",
                  "ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"agent","controller":true}]},
                 "revision":4}"""))
                .containsExactly("agent-6b7c", "daemonset.apps/agent", 4L, "60m");
        assertThat(row("apps", "ControllerRevision", """
                {"metadata":{"name":"orphan"},"revision":1}"""))
                .containsExactly("orphan", "<none>", 1L, "<unknown>");
    }

    @Test
    void replicationController() {
        assertThat(row("", "ReplicationController", """
                {"metadata":{"name":"old","creationTimestamp":"2025-01-01T11:00:00Z"},
                 "spec":{"replicas":2,"selector":{"app":"old","tier":"x"},%s},
                 "status":{"replicas":2,"readyReplicas":2}}""".formatted(TEMPLATE)))
                .containsExactly("old", 2L, 2L, 2L, "60m", "nginx,sidecar", "nginx:1.27,busybox", "app=old,tier=x");
    }

    @Test
    void completedJob() {
        assertThat(headers("batch", "Job")).containsExactly("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE",
                "CONTAINERS*", "IMAGES*", "SELECTOR*");
        assertThat(row("batch", "Job", """
                {"metadata":{"name":"pi","creationTimestamp":"2025-01-01T11:00:00Z"},
                 "spec":{"completions":3,"parallelism":1,
                   "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"abc"}},
                   "template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}},
                 "status":{"succeeded":3,"startTime":"2025-01-01T11:00:01Z","completionTime":"2025-01-01T11:02:36Z",
                   "conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}"""))
                .containsExactly("pi", "Complete", "3/3", "2m35s", "60m", "pi", "perl",
                        "batch.kubernetes.io/controller-uid=abc");
    }

    @Test
    void runningJobs() {
        assertThat(row("batch", "Job", """
                {"metadata":{"name":"work","creationTimestamp":"2025-01-01T11:00:00Z"},
                 "spec":{"parallelism":4,"template":{"spec":{"containers":[{"name":"w","image":"w"}]}}},
                 "status":{"succeeded":1,"active":3,"startTime":"2025-01-01T11:54:30Z"}}""").subList(0, 4))
                .containsExactly("work", "Running", "1/1 of 4", "5m30s");
        assertThat(row("batch", "Job", """
                {"metadata":{"name":"fresh"},"spec":{}}""").subList(0, 4))
                .containsExactly("fresh", "Running", "0/1", "");
        assertThat(row("batch", "Job", """
                {"metadata":{"name":"broken","deletionTimestamp":"2025-01-01T11:00:00Z"},"spec":{"completions":1},
                 "status":{"conditions":[{"type":"Failed","status":"True"}]}}""").subList(0, 3))
                .containsExactly("broken", "Failed", "0/1");
        assertThat(row("batch", "Job", """
                {"metadata":{"name":"going","deletionTimestamp":"2025-01-01T11:00:00Z"},"spec":{"completions":1}}""")
                .get(1)).isEqualTo("Terminating");
        assertThat(row("batch", "Job", """
                {"metadata":{"name":"paused"},"spec":{"suspend":true},
                 "status":{"conditions":[{"type":"Suspended","status":"True"}]}}""").get(1)).isEqualTo("Suspended");
    }

    @Test
    void cronJob() {
        assertThat(headers("batch", "CronJob")).containsExactly("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE",
                "LAST SCHEDULE", "AGE", "CONTAINERS*", "IMAGES*", "SELECTOR*");
        assertThat(row("batch", "CronJob", """
                {"metadata":{"name":"nightly","creationTimestamp":"2024-12-25T12:00:00Z"},
                 "spec":{"schedule":"0 3 * * *","timeZone":"Europe/Paris","suspend":false,
                   "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"backup","image":"backup:2"}]}}}}},
                 "status":{"active":[{"name":"nightly-1"}],"lastScheduleTime":"2025-01-01T03:00:00Z"}}"""))
                .containsExactly("nightly", "0 3 * * *", "Europe/Paris", "False", 1L, "9h", "7d", "backup", "backup:2",
                        "<none>");
        assertThat(row("batch", "CronJob", """
                {"metadata":{"name":"new"},"spec":{"schedule":"@hourly"}}""").subList(0, 6))
                .containsExactly("new", "@hourly", "<none>", "<unset>", 0L, "<none>");
    }
}
