import { IANAZone } from 'luxon';
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

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * When the zone's UTC offset changes, 2000 to 2060, as "YYYYMMDDHHMM=minutes;" (UTC, ascending):
 * feeds carry dates in UTC (RSS pubDate in GMT, Atom in Z), and XSLT 1.0 has no time zones, so
 * the browser view looks the offset up here to show the day the site itself shows.
 */
export function offsetTable(timeZone: string): string {
  let table = offsetTables.get(timeZone);
  if (table === undefined) {
    table = computeOffsetTable(timeZone);
    offsetTables.set(timeZone, table);
  }
  return table;
}

/**
 * Per zone, computed once per process: every build (and every warm re-plan in `serve`) renders
 * the stylesheet. The zone rules cannot change while the process runs (they come with Node's ICU).
 */
const offsetTables = new Map<string, string>();

/**
 * Days are looked at only in windows whose two ends differ: each offset is an ICU call, and
 * 22,000 days of them took ~0.25 s of every build. A window shorter than the closest two changes
 * of any zone holds at most one, so none is missed: in ICU's rules for 2000-2060 the closest are
 * 7 days apart (America/Boa_Vista, October 2000; xslt-offsets.test.ts checks it day by day).
 */
const WINDOW_DAYS = 5;

function computeOffsetTable(timeZone: string): string {
  const zone = IANAZone.create(timeZone);
  const offset = (ms: number) => (zone.isValid ? zone.offset(ms) : 0);
  const key = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(/\D/g, '');
  const start = Date.UTC(2000, 0, 1);
  const end = Date.UTC(2061, 0, 1);
  let entries = `${key(start)}=${offset(start)};`;
  for (let from = start; from < end; from += WINDOW_DAYS * DAY) {
    const to = Math.min(from + WINDOW_DAYS * DAY, end);
    if (offset(from) === offset(to)) continue;
    for (let day = from; day < to; day += DAY) {
      if (offset(day) === offset(day + DAY)) continue;
      // The minute it changes: the last minute with the old offset, plus one.
      let [low, high] = [day, day + DAY];
      while (high - low > MINUTE) {
        const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
        if (offset(mid) === offset(day)) low = mid;
        else high = mid;
      }
      entries += `${key(high)}=${offset(high)};`;
    }
  }
  return entries;
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
export function renderFeedStylesheet(language = 'en', timeZone = 'UTC'): string {
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

  <!-- A date in the site's language and time zone: RSS pubDate (RFC 822, "Tue, 24 Nov 2026
       14:00:00 GMT") or Atom published (ISO 8601); a UTC one moved into the site's zone (by the
       offset table), its month named from the catalogue, not the feed's English. -->
  <xsl:template name="date">
    <xsl:param name="value"/>
    <xsl:variable name="iso" select="contains($value, 'T') and not(contains($value, ','))"/>
    <xsl:variable name="utc" select="contains($value, 'GMT') or contains($value, '+0000') or ($iso and substring($value, string-length($value)) = 'Z')"/>
    <xsl:variable name="d" select="number(substring($value, 6 + 3 * $iso, 2))"/>
    <xsl:variable name="m">
      <xsl:choose>
        <xsl:when test="$iso"><xsl:value-of select="number(substring($value, 6, 2))"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring($value, 9, 3))) div 3 + 1"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="y" select="number(substring($value, 13 - 12 * $iso, 4))"/>
    <xsl:variable name="hh" select="number(substring($value, 18 - 6 * $iso, 2))"/>
    <xsl:variable name="mm" select="number(substring($value, 21 - 6 * $iso, 2))"/>
    <xsl:variable name="offset">
      <xsl:choose>
        <xsl:when test="$utc">
          <xsl:call-template name="offset">
            <xsl:with-param name="at" select="(($y * 100 + $m) * 100 + $d) * 10000 + $hh * 100 + $mm"/>
            <xsl:with-param name="table" select="'${offsetTable(timeZone)}'"/>
            <xsl:with-param name="found" select="0"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>0</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="shift" select="floor(($hh * 60 + $mm + $offset) div 1440)"/>
    <xsl:variable name="leap" select="($y mod 4 = 0 and $y mod 100 != 0) or $y mod 400 = 0"/>
    <xsl:variable name="prevM" select="$m - 1 + 12 * ($m = 1)"/>
    <xsl:variable name="dim" select="31 - ($m = 4 or $m = 6 or $m = 9 or $m = 11) - ($m = 2) * (3 - $leap)"/>
    <xsl:variable name="prevDim" select="31 - ($prevM = 4 or $prevM = 6 or $prevM = 9 or $prevM = 11) - ($prevM = 2) * (3 - $leap)"/>
    <xsl:variable name="day">
      <xsl:choose>
        <xsl:when test="$shift &gt; 0 and $d = $dim">1</xsl:when>
        <xsl:when test="$shift &lt; 0 and $d = 1"><xsl:value-of select="$prevDim"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$d + $shift"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="month">
      <xsl:choose>
        <xsl:when test="$shift &gt; 0 and $d = $dim"><xsl:value-of select="$m mod 12 + 1"/></xsl:when>
        <xsl:when test="$shift &lt; 0 and $d = 1"><xsl:value-of select="$prevM"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$m"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="year" select="$y + ($shift &gt; 0 and $d = $dim and $m = 12) - ($shift &lt; 0 and $d = 1 and $m = 1)"/>
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

  <!-- The offset (minutes) in force at $at (YYYYMMDDHHMM, UTC): the last table entry not after it. -->
  <xsl:template name="offset">
    <xsl:param name="at"/>
    <xsl:param name="table"/>
    <xsl:param name="found"/>
    <xsl:variable name="entry" select="substring-before($table, ';')"/>
    <xsl:choose>
      <xsl:when test="$entry != '' and number(substring-before($entry, '=')) &lt;= $at">
        <xsl:call-template name="offset">
          <xsl:with-param name="at" select="$at"/>
          <xsl:with-param name="table" select="substring-after($table, ';')"/>
          <xsl:with-param name="found" select="number(substring-after($entry, '='))"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$found"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
`;
}
