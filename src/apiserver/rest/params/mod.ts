/**
 * Query parameters of Kubernetes requests read the way kube-apiserver reads them (apimachinery's
 * conversion and options validation): the entry for code outside rest/, such as the authorizer,
 * which needs a request's flags before any verb runs.
 */
export { queryFlag, queryInt64, queryOptionalFlag } from "./query-options.ts";
