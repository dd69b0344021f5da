/**
 * The Kind name of Network, with no imports: code that must name the kind (its descriptor, other
 * kinds' rules and derive hooks) imports this constant, so no import cycle through the kind table
 * can leave it uninitialised.
 */
export const NETWORK_KIND = "Network";
