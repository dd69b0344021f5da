"""Drives netguard-watch with the official Python Kubernetes client, as its users would.

Prints one JSON line per finding; the bun test (python-client.test.ts) checks them.
Usage: watch-and-apply.py KUBECONFIG NAMESPACE NAME_PREFIX
"""
import json
import sys

from kubernetes import client, config, dynamic, watch

kubeconfig, ns, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
GROUP, VERSION, PLURAL = "netguard.sgroups.io", "v1beta1", "addressgroups"


def report(what, **fields):
    print(json.dumps({"what": what, **fields}), flush=True)


def group(name, logs):
    return {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "AddressGroup",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"defaultAction": "ACCEPT", "logs": logs, "trace": False},
    }


api_client = config.new_client_from_config(config_file=kubeconfig)
custom = client.CustomObjectsApi(api_client)

# list, create, then watch from the list's resourceVersion: the create must arrive as ADDED
listed = custom.list_namespaced_custom_object(GROUP, VERSION, ns, PLURAL)
rv = listed["metadata"]["resourceVersion"]
custom.create_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, group(prefix + "-a", False))
w = watch.Watch()
for ev in w.stream(custom.list_namespaced_custom_object, GROUP, VERSION, ns, PLURAL, resource_version=rv, timeout_seconds=10):
    report("custom-watch", type=ev["type"], name=ev["object"]["metadata"]["name"], spec=ev["object"].get("spec"))
    w.stop()

# the dynamic client's watch (a different code path in the client)
dyn = dynamic.DynamicClient(api_client)
res = dyn.resources.get(api_version=f"{GROUP}/{VERSION}", kind="AddressGroup")
current = res.get(namespace=ns).metadata.resourceVersion
res.create(body=group(prefix + "-b", True), namespace=ns)
for ev in dyn.watch(res, namespace=ns, resource_version=current, timeout=10):
    report("dynamic-watch", type=ev["type"], name=ev["object"].metadata.name)
    break

# errors surface as ApiException with the Status code and reason
try:
    custom.create_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, group(prefix + "-a", False))
except client.exceptions.ApiException as e:
    report("duplicate-create", status=e.status, reason=json.loads(e.body)["reason"])

custom.delete_namespaced_custom_object(GROUP, VERSION, ns, PLURAL, prefix + "-b")
report("done")
