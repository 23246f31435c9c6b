/**
 * `feed` lays the XML out; we escape the text. feed v6 hands values to xml-js, which
 * un-escapes "&amp;" before escaping (so "AT&amp;T" loses its text), leaves "<" raw in
 * attributes and wraps RSS titles in CDATA (which the W3C validator reads as HTML). So every
 * text value goes to feed as a placeholder, and `fill` swaps in the value escaped once, by us.
 * Placeholders are built from noncharacters (U+FDD0–U+FDD3) that escapeXmlText strips from
 * every value (with everything else XML 1.0 forbids), so filled text never looks like one.
 */
import { stripForbiddenChars } from '../normalize/index.ts';

const TEXT_OPEN = '\uFDD0';
const TEXT_CLOSE = '\uFDD1';
const ELEMENT_OPEN = '\uFDD2';
const ELEMENT_CLOSE = '\uFDD3';

const XML_ESCAPES: Record<string, string> = {
  '&': '&#x26;',
  '<': '&#x3C;',
  '>': '&#x3E;',
  '"': '&#x22;',
  "'": '&#x27;',
};

/**
 * Escapes text for XML element content and attribute values. Hexadecimal references, as the
 * RSS Best Practices Profile asks ("encode & and < in plain text using hexadecimal character
 * references"): the W3C validator then knows the text is text, not HTML. Characters XML 1.0
 * forbids are dropped, so no caller can produce a document a parser rejects.
 */
export function escapeXmlText(text: string): string {
  return stripForbiddenChars(text).replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

/** HTML for a CDATA section: "]]>" would end it early, and in HTML "]]&gt;" reads the same. */
export function cdataSafeHtml(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}

const TEXT_SLOT = new RegExp(
  `<!\\[CDATA\\[${TEXT_OPEN}(\\d+)${TEXT_CLOSE}\\]\\]>|${TEXT_OPEN}(\\d+)${TEXT_CLOSE}`,
  'g',
);

export class XmlSlots {
  private readonly texts: { value: string; markupAsHtml: boolean }[] = [];
  private readonly elements: string[] = [];

  /** A placeholder for text; filled escaped, out of any CDATA feed wrapped it in. */
  text(value: string): string {
    this.texts.push({ value, markupAsHtml: false });
    return `${TEXT_OPEN}${this.texts.length - 1}${TEXT_CLOSE}`;
  }

  /**
   * A placeholder for RSS element text (never an attribute). RSS never said whether a title is
   * text or HTML and most readers treat it as HTML, so text that looks like markup ("<b>",
   * "&amp;") goes in as escaped HTML inside CDATA: readers show the characters, nothing renders, and
   * the W3C validator sees no HTML in the title. Other text goes in plain, hex-escaped.
   */
  rssText(value: string): string {
    this.texts.push({ value, markupAsHtml: /<|&#?\w+;/.test(value) });
    return `${TEXT_OPEN}${this.texts.length - 1}${TEXT_CLOSE}`;
  }

  /**
   * A placeholder for an element whose whole `<name attrs><![CDATA[placeholder]]></name>`
   * (CDATA optional) becomes `xml`: how we set attributes feed fixes (Atom's type="html").
   */
  element(xml: string): string {
    this.elements.push(xml);
    return `${ELEMENT_OPEN}${this.elements.length - 1}${ELEMENT_CLOSE}`;
  }

  fill(xml: string): string {
    const text = (n: string): string => {
      const slot = this.texts[Number(n)] ?? { value: '', markupAsHtml: false };
      return slot.markupAsHtml ? `<![CDATA[${escapeXmlText(slot.value)}]]>` : escapeXmlText(slot.value);
    };
    // One pass for both forms of a text placeholder (inside the CDATA feed wrapped it in, or bare).
    const withText = xml.replace(TEXT_SLOT, (_, inCdata: string | undefined, bare: string | undefined) =>
      text(inCdata ?? bare ?? ''),
    );
    const filled =
      this.elements.length === 0
        ? withText
        : withText.replace(
            new RegExp(
              `<([\\w:]+)(?: [^>]*)?>(?:<!\\[CDATA\\[)?${ELEMENT_OPEN}(\\d+)${ELEMENT_CLOSE}(?:\\]\\]>)?</\\1>`,
              'g',
            ),
            (_, _name: string, n: string) => this.elements[Number(n)] ?? '',
          );
    if (/[\uFDD0-\uFDD3]/.test(filled)) throw new Error('internal: an XML placeholder was not filled');
    return filled;
  }
}
