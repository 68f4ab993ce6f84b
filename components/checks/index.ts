/** Checks of rendered objects: the Envoy bootstrap against Envoy's protos, Gloo objects against the Gloo CRDs. */
export * from "./envoy";
export { checkGlooObject } from "./gloo-crds";
