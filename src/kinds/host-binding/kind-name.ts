/**
 * The Kind name of HostBinding, with no imports: code that must name the kind (its descriptor, other
 * kinds' rules and derive hooks) imports this constant, so no import cycle through the kind table
 * can leave it uninitialised.
 */
export const HOST_BINDING_KIND = "HostBinding";
