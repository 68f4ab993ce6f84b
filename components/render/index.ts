/** Render: values to the Envoy bootstrap and the Kubernetes objects, the keepalive per hop, and its report. */
export * from "./render";
export * from "./bootstrap";
export * from "./manifests";
export * from "./canonical-json";
export * from "./report";
export * from "./table";
