/** Explain: where every keepalive number came from, as text and as an SVG timeline per proxy. */
export * from "./model";
export { explainText } from "./text";
export { timelineSvg } from "./timeline-svg";
