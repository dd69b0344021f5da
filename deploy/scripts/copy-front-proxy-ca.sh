#!/usr/bin/env bash
# Copies kube-apiserver's front-proxy CA (kube-system/extension-apiserver-authentication, key
# requestheader-client-ca-file) into the ConfigMap the API server mounts
# (netguard/netguard-front-proxy-ca, key ca.crt). A pod cannot mount a ConfigMap of another
# namespace, hence the copy. Run it once before (or right after) the first `kubectl apply -k`, and
# again when the cluster's front-proxy CA rotates; the API server re-reads the file on change.
# Needs read access to that ConfigMap (cluster admins; the RoleBinding in apiserver-rbac.yaml grants
# it to the netguard-apiserver ServiceAccount, so a Job running as it can do this too).
set -euo pipefail
ns="${NETGUARD_NAMESPACE:-netguard}"
ca="$(kubectl -n kube-system get configmap extension-apiserver-authentication \
  -o jsonpath='{.data.requestheader-client-ca-file}')"
if [ -z "$ca" ]; then
  echo "copy-front-proxy-ca: kube-system/extension-apiserver-authentication has no requestheader-client-ca-file:" >&2
  echo "  kube-apiserver runs without --requestheader-client-ca-file, so it cannot front aggregated APIs" >&2
  exit 1
fi
kubectl create configmap netguard-front-proxy-ca --namespace "$ns" --from-literal=ca.crt="$ca" \
  --dry-run=client -o yaml | kubectl apply -f -
