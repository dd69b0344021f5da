/**
 * Splits a byte stream into newline-terminated lines. The bench's parent and its helper processes
 * talk in one-JSON-object-per-line messages over stdin/stdout; both sides feed chunks in here.
 */
export function createLineSplitter(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let buffer = "";
  return (chunk) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      onLine(line);
    }
  };
}
