/** Values: their types and schema, merging and checking, issues and value paths, reading values files and stacks. */
export * from "./types";
export * from "./schema";
export * from "./values";
export * from "./read";
export { closest, didYouMean } from "./suggest";
