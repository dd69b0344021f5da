/**
 * Conditions a delete (or an update) must meet on the stored object, as Kubernetes'
 * `DeleteOptions.preconditions`: carried by the Delete RPC from the API server and checked by the
 * backend's engine. One definition for both sides of the wire.
 */

/** Empty or absent fields are not checked. */
export interface Preconditions {
  /** The stored object's resourceVersion must equal this. */
  resourceVersion?: string;
  /** The stored object's uid must equal this. */
  uid?: string;
}
