/**
 * Kubernetes name syntax (apimachinery `validation.IsDNS1123Subdomain`, `IsDNS1123Label`,
 * `IsQualifiedName`, `IsValidLabelValue`). The aggregated API presents netguard objects as
 * Kubernetes objects, so names, namespaces, label and annotation keys follow the exact same rules
 * and error texts users get from built-in kinds. Every function returns error messages (empty = valid).
 */

const LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL = new RegExp(`^${LABEL_FMT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL_FMT}(\\.${LABEL_FMT})*$`);
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Maximum length of an object name (DNS-1123 subdomain). */
export const DNS1123_SUBDOMAIN_MAX = 253;
/** Maximum length of a namespace (DNS-1123 label). */
export const DNS1123_LABEL_MAX = 63;
/** Maximum length of the name part of a label or annotation key. */
export const QUALIFIED_NAME_MAX = 63;
/** Maximum length of a label value. */
export const LABEL_VALUE_MAX = 63;

const tooLong = (max: number) => `must be no more than ${max} characters`;

/** Object names: lower-case RFC 1123 subdomain, at most 253 characters. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errs.push(tooLong(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
        "and must start and end with an alphanumeric character (e.g. 'example.com')",
    );
  }
  return errs;
}

/** Namespaces: lower-case RFC 1123 label, at most 63 characters. */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errs.push(tooLong(DNS1123_LABEL_MAX));
  if (!DNS1123_LABEL.test(value)) {
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
        "and must start and end with an alphanumeric character (e.g. 'my-name')",
    );
  }
  return errs;
}

/**
 * `metadata.generateName` is a prefix: the server appends random characters, so a trailing '-' is
 * fine. Kubernetes masks that trailing dash and validates the rest as a subdomain; so do we.
 */
export function generateNamePrefixErrors(prefix: string): string[] {
  const masked = prefix.endsWith("-") ? `${prefix.slice(0, -1)}a` : prefix;
  return dns1123SubdomainErrors(masked);
}

/** Label and annotation keys: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export function qualifiedNameErrors(key: string): string[] {
  const parts = key.split("/");
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else for (const e of dns1123SubdomainErrors(prefix)) errs.push(`prefix part ${e}`);
  } else {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
        "alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else {
    if (name.length > QUALIFIED_NAME_MAX) errs.push(`name part ${tooLong(QUALIFIED_NAME_MAX)}`);
    if (!QUALIFIED_NAME.test(name)) {
      errs.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
          "alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')",
      );
    }
  }
  return errs;
}

/** Label values: empty, or at most 63 characters of the qualified-name charset. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX) errs.push(tooLong(LABEL_VALUE_MAX));
  if (!LABEL_VALUE.test(value)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
        "and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')",
    );
  }
  return errs;
}
