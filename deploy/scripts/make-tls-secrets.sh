#!/usr/bin/env bash
# TLS for netguard without cert-manager: makes a private CA and the three certificates the pods
# mount, with openssl, and prints them as Secrets (the names and keys the cert-manager component
# produces: tls.crt, tls.key, ca.crt). Nothing is sent to a cluster; pipe the output to kubectl:
#
#   deploy/scripts/make-tls-secrets.sh | kubectl apply -f -
#
# The APIService's caBundle command is printed on stderr. Re-running makes a new CA: apply all of
# it, run the caBundle command again and restart both workloads. Needs only openssl and base64.
# NETGUARD_NAMESPACE overrides netguard.
set -euo pipefail
ns="${NETGUARD_NAMESPACE:-netguard}"
days="${NETGUARD_CERT_DAYS:-365}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cd "$dir"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

# The CA: signs everything below; kept as a Secret too, so certificates can be re-issued from it.
key ca
openssl req -x509 -new -key ca.key -subj "/CN=netguard-ca" -days 3650 -out ca.crt \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

# leaf NAME SUBJECT EXTENSIONS: a certificate signed by the CA.
leaf() {
  key "$1"
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}
serving="keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth"
# kube-apiserver dials <service>.<namespace>.svc; the API server dials netguard-backend:9090.
leaf apiserver "/CN=netguard-apiserver.$ns.svc" "$serving
subjectAltName=DNS:netguard-apiserver.$ns.svc,DNS:netguard-apiserver.$ns.svc.cluster.local"
leaf backend "/CN=netguard-backend.$ns.svc" "$serving
subjectAltName=DNS:netguard-backend,DNS:netguard-backend.$ns.svc,DNS:netguard-backend.$ns.svc.cluster.local,DNS:netguard-backend-0.netguard-backend.$ns.svc"
# The backend reads the role from O: netguard:read-write lets the API server write.
leaf client "/CN=netguard-apiserver/O=netguard:read-write" "keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"

# A kubernetes.io/tls Secret, written out directly (no cluster, no kubectl needed to format it).
secret() {
  printf 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nmetadata:\n  name: %s\n  namespace: %s\ndata:\n' "$1" "$ns"
  printf '  tls.crt: %s\n  tls.key: %s\n' "$(base64 < "$2.crt" | tr -d '\n')" "$(base64 < "$2.key" | tr -d '\n')"
  if [ -n "${3:-}" ]; then printf '  ca.crt: %s\n' "$(base64 < ca.crt | tr -d '\n')"; fi
}
secret netguard-ca ca
echo "---"
secret netguard-apiserver-tls apiserver with-ca
echo "---"
secret netguard-backend-tls backend with-ca
echo "---"
secret netguard-backend-client-tls client with-ca

bundle="$(base64 < ca.crt | tr -d '\n')"
cat >&2 <<MSG
netguard: after applying, let kube-apiserver trust the API server's certificate:
  kubectl patch apiservice v1beta1.netguard.sgroups.io --type merge -p '{"spec":{"caBundle":"$bundle"}}'
MSG
