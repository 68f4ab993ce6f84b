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

/** The parse state: the text, the offset reached, the open elements and the root once found. */
class XmlReader {
    i = 0;
    readonly stack: XmlElement[] = [];
    root: XmlElement | undefined;

    constructor(readonly xml: string) {}

    fail(what: string): never {
        throw new Error(`not well-formed XML at offset ${this.i}: ${what}`);
    }

    skipSpace(): void {
        while (/\s/.test(this.xml[this.i] ?? "")) this.i++;
    }

    /** The text up to the next `<` (added to the open element); false at the end of the document. */
    text(): boolean {
        const { xml, stack } = this;
        const lt = xml.indexOf("<", this.i);
        const text = xml.slice(this.i, lt < 0 ? xml.length : lt);
        if (text.includes("]]>")) this.fail('"]]>" in text');
        if (stack.length === 0) {
            if (text.trim() !== "") this.fail("text outside the root element");
        } else {
            stack[stack.length - 1].text += decode(text, this.i);
        }
        if (lt < 0) return false;
        this.i = lt;
        return true;
    }

    comment(): void {
        const end = this.xml.indexOf("-->", this.i + 4);
        if (end < 0) this.fail("unterminated comment");
        if (this.xml.slice(this.i + 4, end).includes("--")) this.fail('"--" inside a comment');
        this.i = end + 3;
    }

    endTag(): void {
        const m = NAME.exec(this.xml.slice(this.i + 2));
        if (!m) this.fail("bad end tag");
        const name = m[0];
        this.i += 2 + name.length;
        this.skipSpace();
        if (this.xml[this.i] !== ">") this.fail(`bad end tag </${name}`);
        this.i++;
        const open = this.stack.pop();
        if (!open) this.fail(`end tag </${name}> without a start tag`);
        if (open.name !== name) this.fail(`</${name}> closes <${open.name}>`);
    }

    /** One `name="value"` of a start tag; false at the tag's end. */
    attribute(element: XmlElement): boolean {
        const xml = this.xml;
        const spaced = /\s/.test(xml[this.i] ?? "");
        this.skipSpace();
        if (xml.startsWith("/>", this.i) || xml[this.i] === ">") return false;
        if (!spaced) this.fail("attributes must be separated by white space");
        const a = NAME.exec(xml.slice(this.i));
        if (!a) this.fail(`bad attribute in <${element.name}>`);
        const attr = a[0];
        this.i += attr.length;
        this.skipSpace();
        if (xml[this.i] !== "=") this.fail(`attribute ${attr} without a value`);
        this.i++;
        this.skipSpace();
        const quote = xml[this.i];
        if (quote !== '"' && quote !== "'") this.fail(`unquoted value of ${attr}`);
        const close = xml.indexOf(quote, this.i + 1);
        if (close < 0) this.fail(`unterminated value of ${attr}`);
        const raw = xml.slice(this.i + 1, close);
        if (raw.includes("<")) this.fail(`"<" in the value of ${attr}`);
        if (attr in element.attrs) this.fail(`duplicate attribute ${attr}`);
        element.attrs[attr] = decode(raw, this.i);
        this.i = close + 1;
        return true;
    }

    startTag(): void {
        const m = NAME.exec(this.xml.slice(this.i + 1));
        if (!m) this.fail("bad start tag");
        const element: XmlElement = { name: m[0], attrs: {}, children: [], text: "" };
        this.i += 1 + element.name.length;
        while (this.attribute(element));
        if (this.stack.length === 0) {
            if (this.root) this.fail("more than one root element");
            this.root = element;
        } else {
            this.stack[this.stack.length - 1].children.push(element);
        }
        if (this.xml.startsWith("/>", this.i)) {
            this.i += 2;
        } else {
            this.i += 1;
            this.stack.push(element);
        }
    }
}

export function parseXml(xml: string): XmlElement {
    const r: XmlReader = new XmlReader(xml);
    if (xml.startsWith("<?xml")) {
        const end = xml.indexOf("?>");
        if (end < 0) r.fail("unterminated XML declaration");
        r.i = end + 2;
    }
    while (r.i < xml.length && r.text()) {
        if (xml.startsWith("<!--", r.i)) r.comment();
        else if (xml.startsWith("<?", r.i) || xml.startsWith("<!", r.i))
            r.fail("processing instruction or declaration inside the document");
        else if (xml.startsWith("</", r.i)) r.endTag();
        else r.startTag();
    }
    if (r.stack.length > 0) r.fail(`<${r.stack[r.stack.length - 1].name}> is never closed`);
    if (!r.root) r.fail("no root element");
    return r.root;
}

/** Every element in document order, the root included. */
export function allElements(root: XmlElement): XmlElement[] {
    return [root, ...root.children.flatMap(allElements)];
}

/** Elements whose class attribute contains the class. */
export function byClass(root: XmlElement, cls: string): XmlElement[] {
    return allElements(root).filter((e) => (e.attrs.class ?? "").split(/\s+/).includes(cls));
}
