/** Strict validation of Envoy v3 configuration against Envoy's own API protos (see validate.ts). */
export { envoyRegistry, validateEnvoyBootstrap, validateEnvoyMessage, type EnvoyIssue } from "./validate";
