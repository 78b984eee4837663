"""Lists and watches pods with python3-kubernetes, as a user's script would; prints one line per fact."""
import sys
import threading

from kubernetes import client, config, watch

config.load_kube_config(config_file=sys.argv[1])
namespace = sys.argv[2]
v1 = client.CoreV1Api()

print("version", client.VersionApi().get_code().git_version, flush=True)
pods = v1.list_namespaced_pod(namespace)
print("listed", ",".join(sorted(p.metadata.name for p in pods.items)), "rv", pods.metadata.resource_version, flush=True)


def create_later():
    body = client.V1Pod(metadata=client.V1ObjectMeta(name="from-python"),
                        spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")]))
    v1.create_namespaced_pod(namespace, body)


threading.Timer(1.0, create_later).start()
w = watch.Watch()
for event in w.stream(v1.list_namespaced_pod, namespace, resource_version=pods.metadata.resource_version,
                      timeout_seconds=30):
    print("event", event["type"], event["object"].metadata.name, flush=True)
    if event["object"].metadata.name == "from-python":
        w.stop()
try:
    v1.read_namespaced_pod("missing", namespace)
except client.exceptions.ApiException as e:
    print("error", e.status, e.reason, flush=True)
