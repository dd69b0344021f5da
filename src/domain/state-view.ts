import type { KubeObject } from "../kinds/model.ts";

/**
 * A secondary key of the objects of one kind — "the Services it references", "its
 * Service/AddressGroup pair" — so that stateful rules can ask "which objects have key X" instead of
 * scanning every object of the kind on every write (which made a batch's cost grow with the square
 * of its size). `name` identifies the key function: views that keep indexes keep one per kind and
 * name, so two specs with the same name must compute the same keys.
 */
export interface IndexSpec {
  readonly name: string;
  /** The object's keys under this index (none when the fields are missing or malformed). */
  keys(obj: KubeObject): readonly string[];
}

/**
 * Read access to the current objects (including the not yet committed writes of the same batch)
 * that stateful validation rules need: references, uniqueness, ownership, blocked deletes.
 */
export interface StateView {
  get(kind: string, namespace: string, name: string): KubeObject | undefined;
  /** All objects of a kind. */
  list(kind: string): Iterable<KubeObject>;
  /**
   * Objects of `kind` whose `index` keys include `value`. Optional: views without it are scanned
   * (`findBy` in state-lookup.ts); the engine's views answer from indexes kept up to date.
   */
  lookup?(kind: string, index: IndexSpec, value: string): Iterable<KubeObject>;
}
