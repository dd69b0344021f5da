/**
 * The SubjectAccessReview kubeconfig read as kubectl reads it: base64 `*-data` fields (also wrapped
 * over lines) decode to the PEM text, relative file names and `tokenFile` resolve beside the
 * kubeconfig, and data that is not base64 PEM is refused naming the field.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeconfigError, loadKubeconfig } from "../../src/apiserver/auth/subject-access-review-kubeconfig.ts";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const b64 = (s: string) => btoa(s);

function kubeconfig(cluster: string, user: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sar-kubeconfig-"));
  const file = join(dir, "kubeconfig");
  writeFileSync(join(dir, "ca.crt"), PEM);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: kube
  cluster: {server: "https://127.0.0.1:6443", ${cluster}}
users:
- name: me
  user: {${user}}
contexts:
- name: kube
  context: {cluster: kube, user: me}
current-context: kube
`,
  );
  return file;
}

test("base64 data fields decode to PEM text, also when the base64 is wrapped over lines", () => {
  const wrapped = b64(PEM).replace(/(.{16})/g, "$1\\n");
  const conn = loadKubeconfig(kubeconfig(`certificate-authority-data: "${wrapped}"`, `client-certificate-data: ${b64(PEM)}, client-key-data: ${b64("-----BEGIN KEY-----\n")}`));
  expect(conn.ca).toBe(PEM);
  expect(conn.cert).toBe(PEM);
  expect(conn.key).toBe("-----BEGIN KEY-----\n");
});

test("relative certificate-authority and tokenFile paths resolve beside the kubeconfig", () => {
  const file = kubeconfig("certificate-authority: ca.crt", "tokenFile: secrets/token");
  const conn = loadKubeconfig(file);
  expect(conn.ca).toBe(PEM);
  expect(conn.tokenFile).toBe(join(file, "..", "secrets", "token"));
});

test("data that is not base64 PEM is refused naming the field", () => {
  expect(() => loadKubeconfig(kubeconfig(`certificate-authority-data: "%%%not base64"`, "token: t"))).toThrow(KubeconfigError);
  expect(() => loadKubeconfig(kubeconfig(`certificate-authority-data: "%%%not base64"`, "token: t"))).toThrow(/certificate-authority-data: not base64 PEM data/);
  expect(() => loadKubeconfig(kubeconfig(`certificate-authority-data: ${b64("plain text")}`, "token: t"))).toThrow(/not base64 PEM data/);
});
