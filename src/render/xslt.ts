/**
 * `feed.xsl`: RSS and Atom feeds point to it with an xml-stylesheet processing instruction,
 * so a person who opens a feed in a browser sees a readable page that says what a feed is
 * and how to subscribe, instead of raw XML. Feed readers ignore it.
 * Broadsheet writes every item title and summary so that its value holds no markup: escaped
 * HTML (Atom type="html", RSS description, CDATA titles) or text without "<" (other RSS
 * titles). Unescaping it once (disable-output-escaping) shows the text; nothing can render.
 */
export function renderFeedStylesheet(): string {
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
    <html>
      <xsl:if test="rss/channel/language">
        <xsl:attribute name="lang"><xsl:value-of select="rss/channel/language"/></xsl:attribute>
      </xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          body{margin:0 auto;max-width:42rem;padding:1rem;font:1.0625rem/1.6 Georgia,serif;overflow-wrap:anywhere}
          .about{font-family:system-ui,sans-serif;font-size:.95rem;background:#f3f1ea;color:#222;border-radius:.5rem;padding:.75rem 1rem}
          code{display:block;margin:.5rem 0;padding:.5rem;background:#fff;border:1px solid #ccc;border-radius:.25rem;user-select:all}
          .meta{color:#5b5b5b;font-family:system-ui,sans-serif;font-size:.9rem;margin:0}
          article{border-bottom:1px solid #ddd;padding:.5rem 0}
          h2{font-size:1.15rem;margin:.25rem 0}
        </style>
      </head>
      <body>
        <div class="about">
          <p><strong>This is a web feed.</strong> Subscribe by copying this address into your feed
          reader (NetNewsWire, Feedly, Inoreader, Thunderbird, newsboat...):</p>
          <code><xsl:value-of select="$self"/></code>
          <p>New stories then reach you as they are published, with no account and no tracking.</p>
        </div>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
        <p><a href="{$home}">Visit the website</a></p>
        <xsl:for-each select="rss/channel/item | atom:feed/atom:entry">
          <article>
            <h2><a href="{link | atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of select="title | atom:title" disable-output-escaping="yes"/></a></h2>
            <p class="meta"><xsl:value-of select="pubDate | atom:published"/></p>
            <p><xsl:value-of select="description | atom:summary" disable-output-escaping="yes"/></p>
          </article>
        </xsl:for-each>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
`;
}
