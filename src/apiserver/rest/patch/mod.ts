/**
 * The patch algorithms behind PATCH requests, as pure functions of JSON documents: JSON patch
 * (RFC 6902) with its JSON pointers (RFC 6901), and JSON merge patch (RFC 7386). The verbs reach
 * them through patch-live.ts; callers outside rest/ (tests, tools) import them from here.
 */
export { applyJsonPatch, jsonPatchTouchesResourceVersion, parseJsonPatch, type JsonPatchOp } from "./json-patch.ts";
export { arrayIndex, parsePointer } from "./json-pointer.ts";
export { applyMergePatch } from "./merge-patch.ts";
