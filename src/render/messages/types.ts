/**
 * One language's words for every piece of chrome Broadsheet writes: pages, the feed's browser
 * view, the email (HTML and text), the newsletter archive and the unsubscribe page. Content (a
 * story's own words) is never translated. `{name}` marks a value filled in at render time; a
 * Plural picks its form by Intl.PluralRules for the language ("one" and "other" cover en, de,
 * fr, es; `few`/`many` are there for languages that need them).
 */
export interface Plural {
  one: string;
  other: string;
  zero?: string;
  two?: string;
  few?: string;
  many?: string;
}

export interface Messages {
  // Pages
  /** "By {authors}": a byline. */
  by: string;
  /** "Updated {time}" */
  updated: string;
  /** "Originally published at {host}" */
  originallyPublished: string;
  /** "Topics: {topics}" */
  topics: string;
  noStories: string;
  /** The 404 page's heading and the line under it. */
  notFound: string;
  notFoundHint: string;
  /** The front page's link to the archive: "All {count} stories". */
  allStoriesLink: Plural;
  allStories: string;
  /** "{count} story" */
  storyCount: Plural;
  /** "{count} pages" */
  pageCount: Plural;
  /** "{count}, by the month they were published." */
  archiveSummary: string;
  allMonths: string;
  /** "{month}, page {page} of {pages}" */
  monthPage: string;
  /** "Stories from {site} published in {month}." */
  monthDescription: string;
  /** "Stories from {site} published in {month} (page {page} of {pages})." */
  monthPageDescription: string;
  previousPage: string;
  nextPage: string;
  /** "Pages: {pages}" */
  pages: string;
  /** "Story {number} of {total}" */
  storyOf: string;
  /** "Stories {first}–{last} of {total}" */
  storiesOf: string;
  /** "Subscribe: {links}" */
  subscribeTo: string;
  subscribe: string;
  /** "Paste a feed address into your feed reader, or import {opml}." */
  feedsIntro: string;
  everyFeedAsOpml: string;
  byTopic: string;
  byAuthor: string;
  /** "{name}: the latest stories from {site}." */
  topicFeedDescription: string;
  /** "Stories by {name} from {site}." */
  authorFeedDescription: string;
  analysisHeading: string;
  related: string;
  // Feed browser view (feed.xsl)
  /** "{title} (feed)" */
  feedPageTitle: string;
  thisIsAFeed: string;
  feedHowTo: string;
  feedWhy: string;
  /** The OPML list's title: "{site} feeds". */
  opmlTitle: string;
  visitWebsite: string;
  /** A date of the feed view from its parts: "{month} {day}, {year}". */
  feedDate: string;
  // Email and web edition
  topStory: string;
  readFullStory: string;
  readMore: string;
  moreStories: string;
  moreNews: string;
  viewInBrowser: string;
  allEditions: string;
  unsubscribe: string;
  /** "You are receiving this because you subscribed to the newsletter from {site}." */
  whyYouGetThis: string;
  /** "This is the web edition of the {site} newsletter. …" */
  webEditionNote: string;
  /** "{count} more story is in the {link}." */
  omitted: Plural;
  webEdition: string;
  archive: string;
  readInBrowser: string;
  /** The preheader's tail: "+{count} more story". */
  moreInEdition: Plural;
  // Newsletter archive
  /** "{site} newsletter" */
  newsletterTitle: string;
  noEditions: string;
  pastEditions: string;
  followArchiveFeed: string;
  /** "Every edition of the newsletter from {site}." */
  archiveFeedDescription: string;
  // Unsubscribe page
  methodNotAllowed: string;
  useEmailLink: string;
  requestTooLarge: string;
  invalidLink: string;
  invalidLinkHelp: string;
  unsubscribed: string;
  /** "{email} will get no more newsletters from {site}." */
  unsubscribedBody: string;
  /** "Unsubscribe {email} from the newsletters of {site}?" */
  confirmUnsubscribe: string;
  /** "{email} is already unsubscribed. Nothing more to do." */
  alreadyUnsubscribed: string;
  // Signup, its confirmation (page and email) and the preferences page
  manageSubscription: string;
  signupHeading: string;
  /** "The {site} newsletter by email. …" */
  signupIntro: string;
  emailLabel: string;
  /** Legend of the topic checkboxes (signup form and preferences page). */
  topicsLegend: string;
  /** The honeypot's label: hidden from people, filled in by bots. */
  honeypotLabel: string;
  checkInbox: string;
  /** "If {email} can get mail from us, a confirmation link is on its way ({days} days)." */
  checkInboxBody: string;
  invalidEmail: string;
  invalidEmailHelp: string;
  tooManyRequests: string;
  tooManyRequestsHelp: string;
  confirmHeading: string;
  /** "Subscribe {email} to the newsletter of {site}?" */
  confirmBody: string;
  confirmButton: string;
  confirmedHeading: string;
  /** "{email} will get the newsletter of {site}. …" */
  confirmedBody: string;
  linkInvalid: string;
  confirmLinkHelp: string;
  /** "Confirm your subscription to {site}" */
  confirmMailSubject: string;
  /** "Someone, hopefully you, asked for the {site} newsletter at {email}. …" */
  confirmMailBody: string;
  /** "If it was not you, ignore this message: … {days} days." */
  confirmMailIgnore: string;
  preferencesHeading: string;
  /** "Settings for {email}." */
  preferencesFor: string;
  statusActive: string;
  statusPaused: string;
  statusStopped: string;
  saveTopics: string;
  topicsSaved: string;
  pause: string;
  resume: string;
  eraseHeading: string;
  /** "Delete {email} and everything we keep about it. …" */
  eraseBody: string;
  eraseConfirm: string;
  eraseButton: string;
  erasedHeading: string;
  erasedBody: string;
}
