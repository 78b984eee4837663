package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Fixtures.headers;
import static io.k4j.apiserver.table.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodTableTest {

    private static List<Object> pod(String spec, String status) {
        return pod("", spec, status);
    }

    private static List<Object> pod(String extraMetadata, String spec, String status) {
        return row("", "Pod", """
                {"apiVersion":"v1","kind":"Pod",
                 "metadata":{"name":"web","namespace":"default","creationTimestamp":"2025-01-01T11:00:00Z"%s},
                 "spec":%s,
                 "status":%s}""".formatted(extraMetadata, spec, status));
    }

    @Test
    void columnsAreUpstreams() {
        assertThat(headers("", "Pod")).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP*", "NODE*",
                "NOMINATED NODE*", "READINESS GATES*");
    }

    @Test
    void runningPodWithRestartsShowsWhenTheLastOneHappened() {
        List<Object> cells = pod("""
                {"nodeName":"node-1","containers":[{"name":"app","image":"nginx"},{"name":"log","image":"busybox"}]}""",
                """
                {"phase":"Running","podIP":"10.0.0.7","podIPs":[{"ip":"10.0.0.7"},{"ip":"fd00::7"}],
                 "conditions":[{"type":"Ready","status":"True"}],
                 "containerStatuses":[
                   {"name":"app","ready":true,"restartCount":2,"state":{"running":{"startedAt":"2025-01-01T11:50:00Z"}},
                    "lastState":{"terminated":{"exitCode":1,"finishedAt":"2025-01-01T11:49:00Z"}}},
                   {"name":"log","ready":true,"restartCount":1,"state":{"running":{}},
                    "lastState":{"terminated":{"exitCode":1,"finishedAt":"2025-01-01T11:30:00Z"}}}]}""");
        assertThat(cells).containsExactly("web", "2/2", "Running", "3 (11m ago)", "60m", "10.0.0.7", "node-1",
                "<none>", "<none>");
    }

    @Test
    void restartsWithoutAFinishTimeAreJustANumber() {
        List<Object> cells = pod("""
                {"containers":[{"name":"app"}]}""", """
                {"phase":"Running","containerStatuses":[{"name":"app","ready":false,"restartCount":4,
                  "state":{"running":{}}}]}""");
        assertThat(cells.subList(1, 4)).containsExactly("0/1", "Running", "4");
    }

    @Test
    void pendingPodWithoutStatuses() {
        List<Object> cells = pod("""
                {"containers":[{"name":"app","image":"nginx"}]}""", """
                {"phase":"Pending"}""");
        assertThat(cells).containsExactly("web", "0/1", "Pending", "0", "60m", "<none>", "<none>", "<none>", "<none>");
    }

    @Test
    void schedulingGatedPod() {
        List<Object> cells = pod("""
                {"containers":[{"name":"app"}],"schedulingGates":[{"name":"wait"}]}""", """
                {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}""");
        assertThat(cells.get(2)).isEqualTo("SchedulingGated");
    }

    @Test
    void waitingContainerReasonWins() {
        List<Object> cells = pod("""
                {"containers":[{"name":"app"}]}""", """
                {"phase":"Running","containerStatuses":[{"name":"app","ready":false,"restartCount":5,
                  "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}},
                  "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2025-01-01T11:58:30Z"}}}]}""");
        assertThat(cells.subList(1, 4)).containsExactly("0/1", "CrashLoopBackOff", "5 (90s ago)");
    }

    @Test
    void terminatedContainersShowReasonSignalOrExitCode() {
        String spec = """
                {"containers":[{"name":"app"}]}""";
        assertThat(pod(spec, """
                {"phase":"Succeeded","containerStatuses":[{"name":"app","ready":false,"restartCount":0,
                  "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}""").get(2)).isEqualTo("Completed");
        assertThat(pod(spec, """
                {"phase":"Failed","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":137,"signal":9}}}]}""")
                .get(2)).isEqualTo("Signal:9");
        assertThat(pod(spec, """
                {"phase":"Failed","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":3}}}]}""")
                .get(2)).isEqualTo("ExitCode:3");
    }

    @Test
    void completedContainerBesideARunningOneIsRunningOrNotReady() {
        String spec = """
                {"containers":[{"name":"a"},{"name":"b"}]}""";
        String statuses = """
                "containerStatuses":[
                  {"name":"a","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                  {"name":"b","ready":true,"state":{"running":{}}}]""";
        assertThat(pod(spec, "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
                + statuses + "}").subList(1, 3)).containsExactly("1/2", "Running");
        assertThat(pod(spec, "{\"phase\":\"Running\"," + statuses + "}").subList(1, 3))
                .containsExactly("1/2", "NotReady");
    }

    @Test
    void initContainersInProgress() {
        String spec = """
                {"initContainers":[{"name":"migrate"},{"name":"warm"}],"containers":[{"name":"app"}]}""";
        assertThat(pod(spec, """
                {"phase":"Pending","initContainerStatuses":[
                  {"name":"migrate","state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                  {"name":"warm","state":{"running":{}}}],
                 "containerStatuses":[{"name":"app","state":{"waiting":{"reason":"PodInitializing"}}}]}""")
                .subList(1, 4)).containsExactly("0/1", "Init:1/2", "0");
        assertThat(pod(spec, """
                {"phase":"Pending","initContainerStatuses":[
                  {"name":"migrate","restartCount":2,"state":{"waiting":{"reason":"ImagePullBackOff"}},
                   "lastState":{"terminated":{"exitCode":1,"finishedAt":"2025-01-01T11:57:00Z"}}},
                  {"name":"warm","state":{"waiting":{"reason":"PodInitializing"}}}]}""")
                .subList(1, 4)).containsExactly("0/1", "Init:ImagePullBackOff", "2 (3m ago)");
        assertThat(pod(spec, """
                {"phase":"Pending","initContainerStatuses":[
                  {"name":"migrate","state":{"terminated":{"exitCode":2}}}]}""").get(2)).isEqualTo("Init:ExitCode:2");
        assertThat(pod(spec, """
                {"phase":"Pending","initContainerStatuses":[
                  {"name":"migrate","state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}""").get(2))
                .isEqualTo("Init:Error");
    }

    @Test
    void sidecarsCountAmongTheContainers() {
        List<Object> cells = pod("""
                {"initContainers":[{"name":"proxy","restartPolicy":"Always"}],"containers":[{"name":"app"}]}""", """
                {"phase":"Running","conditions":[{"type":"Initialized","status":"True"}],
                 "initContainerStatuses":[{"name":"proxy","started":true,"ready":true,"restartCount":1,
                   "state":{"running":{}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2025-01-01T11:40:00Z"}}}],
                 "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]}""");
        assertThat(cells.subList(1, 4)).containsExactly("2/2", "Running", "1 (20m ago)");
    }

    @Test
    void deletedPodsAreTerminatingUnlessFinished() {
        String deleted = ",\"deletionTimestamp\":\"2025-01-01T11:59:00Z\"";
        String spec = """
                {"containers":[{"name":"app"}]}""";
        assertThat(pod(deleted, spec, """
                {"phase":"Running","containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}}]}""")
                .subList(1, 3)).containsExactly("1/1", "Terminating");
        assertThat(pod(deleted, spec, """
                {"phase":"Succeeded","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":0,
                  "reason":"Completed"}}}]}""").get(2)).isEqualTo("Completed");
        assertThat(pod(deleted, spec, """
                {"phase":"Running","reason":"NodeLost"}""").get(2)).isEqualTo("Unknown");
    }

    @Test
    void podReasonOverridesPhase() {
        assertThat(pod("""
                {"containers":[{"name":"app"}]}""", """
                {"phase":"Failed","reason":"Evicted"}""").get(2)).isEqualTo("Evicted");
    }

    @Test
    void wideColumnsShowNominatedNodeAndReadinessGates() {
        List<Object> cells = pod("""
                {"containers":[{"name":"app"}],"readinessGates":[{"conditionType":"example.com/lb"},
                  {"conditionType":"example.com/dns"}]}""", """
                {"phase":"Pending","nominatedNodeName":"node-2","podIP":"10.1.1.1",
                 "conditions":[{"type":"example.com/lb","status":"True"},{"type":"example.com/dns","status":"False"}]}""");
        assertThat(cells.subList(5, 9)).containsExactly("10.1.1.1", "<none>", "node-2", "1/2");
    }
}
