/**
 * A tiny XML well-formedness checker and tree builder (no XML parser is in node_modules).
 * Enough for the SVG we write: prolog, comments, elements, attributes, text, the five
 * predefined entities and numeric character references. Throws on anything not well-formed:
 * unclosed or mismatched tags, unquoted or duplicate attributes, a raw `<` or stray `&`,
 * unknown entities, content outside the single root element.
 */
export interface XmlElement {
    name: string;
    attrs: Record<string, string>;
    children: XmlElement[];
    /** The element's own text (entities decoded), children's text excluded. */
    text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
    return raw.replace(/&([^;&<]*);|&/g, (match, body: string | undefined) => {
        if (body === undefined) throw new Error(`stray "&" near offset ${where}`);
        if (body in ENTITIES) return ENTITIES[body];
        const m = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(body);
        if (m) return String.fromCodePoint(m[1].startsWith("x") ? parseInt(m[1].slice(1), 16) : Number(m[1]));
        throw new Error(`unknown entity ${match} near offset ${where}`);
    });
}

export function parseXml(xml: string): XmlElement {
    let i = 0;
    const stack: XmlElement[] = [];
    let root: XmlElement | undefined;
    const fail = (what: string): never => {
        throw new Error(`not well-formed XML at offset ${i}: ${what}`);
    };
    if (xml.startsWith("<?xml")) {
        const end = xml.indexOf("?>");
        if (end < 0) fail("unterminated XML declaration");
        i = end + 2;
    }
    while (i < xml.length) {
        const lt = xml.indexOf("<", i);
        const textEnd = lt < 0 ? xml.length : lt;
        const text = xml.slice(i, textEnd);
        if (text.includes("]]>")) fail('"]]>" in text');
        if (stack.length === 0) {
            if (text.trim() !== "") fail("text outside the root element");
        } else {
            stack[stack.length - 1].text += decode(text, i);
        }
        if (lt < 0) break;
        i = lt;
        if (xml.startsWith("<!--", i)) {
            const end = xml.indexOf("-->", i + 4);
            if (end < 0) fail("unterminated comment");
            if (xml.slice(i + 4, end).includes("--")) fail('"--" inside a comment');
            i = end + 3;
            continue;
        }
        if (xml.startsWith("<?", i) || xml.startsWith("<!", i)) fail("processing instruction or declaration inside the document");
        if (xml.startsWith("</", i)) {
            const m = NAME.exec(xml.slice(i + 2));
            if (!m) fail("bad end tag");
            const name = (m as RegExpExecArray)[0];
            i += 2 + name.length;
            while (/\s/.test(xml[i] ?? "")) i++;
            if (xml[i] !== ">") fail(`bad end tag </${name}`);
            i++;
            const open = stack.pop();
            if (!open) fail(`end tag </${name}> without a start tag`);
            if (open?.name !== name) fail(`</${name}> closes <${open?.name}>`);
            continue;
        }
        const m = NAME.exec(xml.slice(i + 1));
        if (!m) fail("bad start tag");
        const element: XmlElement = { name: (m as RegExpExecArray)[0], attrs: {}, children: [], text: "" };
        i += 1 + element.name.length;
        for (;;) {
            const spaced = /\s/.test(xml[i] ?? "");
            while (/\s/.test(xml[i] ?? "")) i++;
            if (xml.startsWith("/>", i) || xml[i] === ">") break;
            if (!spaced) fail("attributes must be separated by white space");
            const a = NAME.exec(xml.slice(i));
            if (!a) fail(`bad attribute in <${element.name}>`);
            const attr = (a as RegExpExecArray)[0];
            i += attr.length;
            while (/\s/.test(xml[i] ?? "")) i++;
            if (xml[i] !== "=") fail(`attribute ${attr} without a value`);
            i++;
            while (/\s/.test(xml[i] ?? "")) i++;
            const quote = xml[i];
            if (quote !== '"' && quote !== "'") fail(`unquoted value of ${attr}`);
            const close = xml.indexOf(quote, i + 1);
            if (close < 0) fail(`unterminated value of ${attr}`);
            const raw = xml.slice(i + 1, close);
            if (raw.includes("<")) fail(`"<" in the value of ${attr}`);
            if (attr in element.attrs) fail(`duplicate attribute ${attr}`);
            element.attrs[attr] = decode(raw, i);
            i = close + 1;
        }
        if (stack.length === 0) {
            if (root) fail("more than one root element");
            root = element;
        } else {
            stack[stack.length - 1].children.push(element);
        }
        if (xml.startsWith("/>", i)) {
            i += 2;
        } else {
            i += 1;
            stack.push(element);
        }
    }
    if (stack.length > 0) fail(`<${stack[stack.length - 1].name}> is never closed`);
    if (!root) fail("no root element");
    return root as XmlElement;
}

/** Every element in document order, the root included. */
export function allElements(root: XmlElement): XmlElement[] {
    return [root, ...root.children.flatMap(allElements)];
}

/** Elements whose class attribute contains the class. */
export function byClass(root: XmlElement, cls: string): XmlElement[] {
    return allElements(root).filter((e) => (e.attrs.class ?? "").split(/\s+/).includes(cls));
}
