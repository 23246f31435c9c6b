import { messagesFor, textDirection } from './messages/index.ts';
import { escapeXmlText } from './xml.ts';

/** The twelve month names as the language writes them in a date ("November", "novembre"). */
function monthNames(language: string): string[] {
  const format = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', timeZone: 'UTC' });
  return Array.from(
    { length: 12 },
    (_, i) => format.formatToParts(Date.UTC(2001, i, 15)).find((part) => part.type === 'month')?.value ?? '',
  );
}

/** A catalogue message with XSLT in its slots: its own words escaped as XML text. */
function xslFill(message: string, slots: Record<string, string>): string {
  return (
    message
      .split(/(\{\w+\})/)
      // Literal text in xsl:text: a space alone between two values would otherwise be dropped.
      .map(
        (part) =>
          slots[/^\{(\w+)\}$/.exec(part)?.[1] ?? ''] ??
          (part ? `<xsl:text>${escapeXmlText(part)}</xsl:text>` : ''),
      )
      .join('')
  );
}

/**
 * `feed.xsl`: RSS and Atom feeds point to it with an xml-stylesheet processing instruction,
 * so a person who opens a feed in a browser sees a readable page that says what a feed is
 * and how to subscribe, instead of raw XML. Feed readers ignore it.
 * Broadsheet writes every item title and summary so that its value holds no markup: escaped
 * HTML (Atom type="html", RSS description, CDATA titles) or text without "<" (other RSS
 * titles). Unescaping it once (disable-output-escaping) shows the text; nothing can render.
 */
export function renderFeedStylesheet(language = 'en'): string {
  const t = messagesFor(language);
  const x = escapeXmlText;
  return `<?xml version="1.0" encoding="utf-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="self" select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/>
    <xsl:variable name="home" select="rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href"/>
    <html lang="${x(language)}" dir="${textDirection(language)}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>${xslFill(t.feedPageTitle, { title: '<xsl:value-of select="$title"/>' })}</title>
        <style>
          :root{color-scheme:light dark}
          html{background:#fff;color:#1f2328}
          body{margin:0 auto;max-width:42rem;padding:1rem;font:1.0625rem/1.6 Georgia,serif;overflow-wrap:anywhere;background:#fff;color:#1f2328}
          a{color:#0b57d0}
          .about{font-family:system-ui,sans-serif;font-size:.95rem;background:#f3f1ea;color:#222;border-radius:.5rem;padding:.75rem 1rem}
          code{display:block;margin:.5rem 0;padding:.5rem;background:#fff;color:#1f2328;border:1px solid #ccc;border-radius:.25rem;user-select:all}
          .meta{color:#5b5b5b;font-family:system-ui,sans-serif;font-size:.9rem;margin:0}
          article{border-bottom:1px solid #ddd;padding:.5rem 0}
          h2{font-size:1.15rem;margin:.25rem 0}
          @media (prefers-color-scheme:dark){
            html,body{background:#0f1115;color:#e6edf3}
            a{color:#8ab4f8}
            .about{background:#1b1f24;color:#e6edf3}
            code{background:#0f1115;color:#e6edf3;border-color:#444}
            .meta{color:#b0b0b0}
            article{border-color:#444}
          }
        </style>
      </head>
      <body>
        <div class="about">
          <p><strong>${x(t.thisIsAFeed)}</strong> ${x(t.feedHowTo)}</p>
          <code><xsl:value-of select="$self"/></code>
          <p>${x(t.feedWhy)}</p>
        </div>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
        <p><a href="{$home}">${x(t.visitWebsite)}</a></p>
        <xsl:for-each select="rss/channel/item | atom:feed/atom:entry">
          <article>
            <h2><a href="{link | atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="title | atom:title" disable-output-escaping="yes"/></a></h2>
            <p class="meta"><xsl:call-template name="date"><xsl:with-param name="value" select="pubDate | atom:published"/></xsl:call-template></p>
            <p><xsl:value-of select="description | atom:summary" disable-output-escaping="yes"/></p>
          </article>
        </xsl:for-each>
      </body>
    </html>
  </xsl:template>

  <!-- A date in the site's language: RSS pubDate (RFC 822, "Tue, 24 Nov 2026 14:00:00 GMT")
       or Atom published (ISO 8601); its month named from the catalogue, not the feed's English. -->
  <xsl:template name="date">
    <xsl:param name="value"/>
    <xsl:variable name="iso" select="contains($value, 'T') and not(contains($value, ','))"/>
    <xsl:variable name="day" select="number(substring($value, 6 + 3 * $iso, 2))"/>
    <xsl:variable name="month">
      <xsl:choose>
        <xsl:when test="$iso"><xsl:value-of select="number(substring($value, 6, 2))"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring($value, 9, 3))) div 3 + 1"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="year" select="substring($value, 13 - 12 * $iso, 4)"/>
    <xsl:variable name="name">
      <xsl:choose>
${monthNames(language)
  .map((name, i) => `        <xsl:when test="$month = ${i + 1}">${x(name)}</xsl:when>`)
  .join('\n')}
      </xsl:choose>
    </xsl:variable>
    ${xslFill(t.feedDate, {
      day: '<xsl:value-of select="$day"/>',
      month: '<xsl:value-of select="$name"/>',
      year: '<xsl:value-of select="$year"/>',
    })}
  </xsl:template>
</xsl:stylesheet>
`;
}
