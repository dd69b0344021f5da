// Validation against the Kubernetes OpenAPI schemas (kubernetes-models: the JSON schemas of
// Kubernetes 1.34 compiled to validators) and cert-manager's CRD schemas
// (@kubernetes-models/cert-manager). A kind with no schema here is an error, not a pass: nothing
// reaches a cluster unchecked.
import { Certificate, ClusterIssuer, Issuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1";
import { APIService } from "kubernetes-models/apiregistration.k8s.io/v1";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { id, type K8sObject } from "./render.ts";

// The constructors are typed for hand-written objects (some demand fields); here they get parsed data.
type Model = new (data: K8sObject) => { validate(): void };

const MODELS: Record<string, Model> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/Service": Service,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding as unknown as Model,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding as unknown as Model,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "apiregistration.k8s.io/v1/APIService": APIService,
  "cert-manager.io/v1/Certificate": Certificate as unknown as Model,
  "cert-manager.io/v1/Issuer": Issuer as unknown as Model,
  "cert-manager.io/v1/ClusterIssuer": ClusterIssuer as unknown as Model,
};

/** Schema problems of one object, each naming the object; [] when it validates. */
export function schemaProblems(o: K8sObject): string[] {
  const model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!model) return [`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`];
  if (!o.metadata?.name) return [`${id(o)}: metadata.name is required`];
  try {
    new model(o).validate();
    return [];
  } catch (e) {
    return [`${id(o)}: ${(e as Error).message}`];
  }
}
