/**
 * The OpenAPI v2 document, in the only form kubectl accepts: protobuf (gnostic `Document`). kubectl
 * 1.20 validates create/apply against it and knows no v3. The smallest valid document,
 * `Document{swagger: "2.0"}` (field 1, length 3, "2.0"), lists no kinds, so kubectl skips client-side
 * validation and the server validates instead. It must be served as
 * `application/octet-stream`: Go's mime parser rejects the official protobuf content type, and JSON
 * here fails to parse as protobuf.
 */

/** gnostic Document{swagger:"2.0"}: 0a 03 32 2e 30. */
export const OPENAPI_V2_PROTOBUF = new Uint8Array([0x0a, 0x03, 0x32, 0x2e, 0x30]);

/** The only Content-Type kubectl parses for this document (see the file comment). */
export const OPENAPI_V2_CONTENT_TYPE = "application/octet-stream";
