package io.k4j.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply -f} with kubectl's default validation on one object of every kind k4j stores: created, then
 * unchanged on a second apply, then taken over by a server-side apply of the same file.
 */
class ApplyEveryKindTest extends KubectlClusterTest {

    private static final String NS = "every";

    /** One small, valid object per stored kind; the comment after each names what apply prints for it. */
    private static final String MANIFESTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: every}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: pod, namespace: every}
            spec:
              containers: [{name: app, image: nginx:1, ports: [{containerPort: 80}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc, namespace: every}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: manual, namespace: every}
            subsets:
            - addresses: [{ip: 10.42.0.5}]
              ports: [{port: 80}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cm, namespace: every}
            data: {a: "1"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: secret, namespace: every}
            data: {password: czNjcmV0}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: sa, namespace: every}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: every-node, labels: {kubernetes.io/hostname: every-node}}
            spec: {unschedulable: true}
            ---
            apiVersion: v1
            kind: Event
            metadata: {name: ev, namespace: every}
            involvedObject: {kind: Pod, name: pod, namespace: every}
            reason: Tested
            message: applied by a test
            type: Normal
            ---
            apiVersion: v1
            kind: LimitRange
            metadata: {name: limits, namespace: every}
            spec:
              limits: [{type: Container, default: {cpu: 200m}}]
            ---
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: quota, namespace: every}
            spec:
              hard: {pods: "10"}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: every-pv}
            spec:
              capacity: {storage: 1Gi}
              accessModes: [ReadWriteOnce]
              hostPath: {path: /tmp/every-pv}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: pvc, namespace: every}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            ---
            apiVersion: v1
            kind: ReplicationController
            metadata: {name: rc, namespace: every}
            spec:
              replicas: 1
              selector: {app: rc}
              template:
                metadata: {labels: {app: rc}}
                spec: {containers: [{name: app, image: nginx:1}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: deploy, namespace: every}
            spec:
              selector: {matchLabels: {app: deploy}}
              template:
                metadata: {labels: {app: deploy}}
                spec: {containers: [{name: app, image: nginx:1, env: [{name: A, value: "1"}]}]}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: rs, namespace: every}
            spec:
              selector: {matchLabels: {app: rs}}
              template:
                metadata: {labels: {app: rs}}
                spec: {containers: [{name: app, image: nginx:1}]}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: sts, namespace: every}
            spec:
              serviceName: svc
              selector: {matchLabels: {app: sts}}
              template:
                metadata: {labels: {app: sts}}
                spec: {containers: [{name: app, image: nginx:1}]}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: ds, namespace: every}
            spec:
              selector: {matchLabels: {app: ds}}
              template:
                metadata: {labels: {app: ds}}
                spec: {containers: [{name: app, image: nginx:1}]}
            ---
            apiVersion: apps/v1
            kind: ControllerRevision
            metadata: {name: rev, namespace: every}
            revision: 1
            data: {spec: {template: {}}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: job, namespace: every}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: app, image: busybox:1, command: [sh, -c, "true"]}]
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: cron, namespace: every}
            spec:
              schedule: "*/5 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: app, image: busybox:1}]
            ---
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata: {name: lease, namespace: every}
            spec: {holderIdentity: me, leaseDurationSeconds: 15}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: slice, namespace: every, labels: {kubernetes.io/service-name: svc}}
            addressType: IPv4
            endpoints: [{addresses: [10.42.0.6]}]
            ports: [{port: 8080, protocol: TCP}]
            ---
            apiVersion: events.k8s.io/v1
            kind: Event
            metadata: {name: ev2, namespace: every}
            eventTime: "2026-01-01T00:00:00.000000Z"
            reportingController: tests/apply
            reportingInstance: tests
            action: Apply
            reason: Tested
            type: Normal
            regarding: {kind: Pod, name: pod, namespace: every}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: ing, namespace: every}
            spec:
              rules:
              - host: example.test
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend: {service: {name: svc, port: {number: 80}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: every-class}
            spec: {controller: example.test/ingress}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny, namespace: every}
            spec:
              podSelector: {}
              policyTypes: [Ingress]
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: pdb, namespace: every}
            spec:
              minAvailable: 1
              selector: {matchLabels: {app: deploy}}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: hpa, namespace: every}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: deploy}
              minReplicas: 1
              maxReplicas: 3
              metrics:
              - type: Resource
                resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: reader, namespace: every}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: reader, namespace: every}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
            subjects: [{kind: ServiceAccount, name: sa, namespace: every}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: every-reader}
            rules: [{apiGroups: [""], resources: [nodes], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: every-reader}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: every-reader}
            subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
            ---
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: every-high}
            value: 1000
            ---
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: every-local}
            provisioner: example.test/local
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: everythings.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: everythings, singular: everything, kind: Everything}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          size: {type: integer}
            """;

    /** What kubectl names each object above, in order. */
    private static final List<String> NAMES = List.of("namespace/every", "pod/pod", "service/svc", "endpoints/manual",
            "configmap/cm", "secret/secret", "serviceaccount/sa", "node/every-node", "event/ev", "limitrange/limits",
            "resourcequota/quota", "persistentvolume/every-pv", "persistentvolumeclaim/pvc",
            "replicationcontroller/rc", "deployment.apps/deploy", "replicaset.apps/rs", "statefulset.apps/sts",
            "daemonset.apps/ds", "controllerrevision.apps/rev", "job.batch/job", "cronjob.batch/cron",
            "lease.coordination.k8s.io/lease", "endpointslice.discovery.k8s.io/slice", "event.events.k8s.io/ev2",
            "ingress.networking.k8s.io/ing", "ingressclass.networking.k8s.io/every-class",
            "networkpolicy.networking.k8s.io/deny", "poddisruptionbudget.policy/pdb",
            "horizontalpodautoscaler.autoscaling/hpa", "role.rbac.authorization.k8s.io/reader",
            "rolebinding.rbac.authorization.k8s.io/reader", "clusterrole.rbac.authorization.k8s.io/every-reader",
            "clusterrolebinding.rbac.authorization.k8s.io/every-reader", "priorityclass.scheduling.k8s.io/every-high",
            "storageclass.storage.k8s.io/every-local",
            "customresourcedefinition.apiextensions.k8s.io/everythings.example.com");


    @Override
    protected String namespacePrefix() {
        return "apply";
    }

    @Test
    void everyKindAppliesWithDefaultValidationThenIsUnchangedThenServerSideApplies() throws Exception {
        TestCluster.Result created = cluster.kubectlWithInput(MANIFESTS, "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.err()).doesNotContain("Warning");
        for (String name : NAMES) {
            assertThat(created.out()).contains(name + " created");
        }

        TestCluster.Result again = cluster.kubectlWithInput(MANIFESTS, "apply", "-f", "-");
        assertThat(again.exitCode()).as(again.err()).isZero();
        for (String name : NAMES) {
            assertThat(again.out()).contains(name + " unchanged");
        }

        TestCluster.Result serverSide = cluster.kubectlWithInput(MANIFESTS, "apply", "--server-side",
                "--force-conflicts", "-f", "-");
        assertThat(serverSide.exitCode()).as(serverSide.err()).isZero();
        for (String name : NAMES) {
            assertThat(serverSide.out()).contains(name + " serverside-applied");
        }
        // forced, the server-side apply took every field over from kubectl's client-side apply
        assertThat(cluster.kubectl("get", "deploy", "deploy", "-n", NS, "-o",
                "jsonpath={.metadata.managedFields[?(@.manager==\"kubectl\")].operation}").assertOk().out())
                .isEqualTo("Apply");
    }
}
