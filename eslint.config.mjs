// One linter for the whole tree: typescript-eslint's recommended rules over every TypeScript source.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "dist/", "out/", ".cache/", "policy/node_modules/", "policy/dist/", "**/*.js", "**/*.mjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            // Commands load their modules on demand (`require` in the dispatch) so each loads only what it needs.
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        // Tests reach into the mock engine's loosely typed records; the library and the pack stay free of `any`.
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-unused-expressions": "off" }, // chai: expect(x).to.be.empty
    },
);
