/** The subset of JSON Schema (draft-07) we use; both ajv and Helm 3/4 understand it. */
type JsonType = "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";
export interface JsonSchema {
    type?: JsonType | JsonType[];
    description?: string;
    default?: unknown;
    properties?: Record<string, JsonSchema>;
    additionalProperties?: boolean | JsonSchema;
    propertyNames?: JsonSchema;
    required?: string[];
    items?: JsonSchema;
    enum?: readonly unknown[];
    minimum?: number;
    maximum?: number;
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    /** What the value renders to (documentation only). */
    "x-renders-to"?: string;
    /** The bounds are the Linux kernel's (error messages say so). */
    "x-kernel-limit"?: boolean;
    /** Why a value Gloo accepts is refused here (the message of any error on it). */
    "x-refused"?: string;
    maxProperties?: number;
    $schema?: string;
    title?: string;
}
