/**
 * The newsletter stage: selects an edition's stories, models the Edition, and renders it as
 * an MJML email (HTML + plain text), a web view, and the archive. Pure: values in, values out.
 */
export { archiveFeed, archivePage } from './archive.ts';
export { EMAIL_HTML_BUDGET, renderEditionEmail, renderEditionWebView } from './email.ts';
export { composeEdition, editionForTopics, editionItems, editionShell, editionUrl } from './model.ts';
export {
  type EditionWindow,
  editionWindow,
  FIRST_EDITION_DAYS,
  isoMillis,
  type Period,
  selectItems,
  sinceSyntaxProblem,
  uniqueEditionId,
} from './select.ts';
export { REQUIRED_TEMPLATES, TemplateError, type TemplateProblem } from './templates.ts';
export { renderEditionText } from './text.ts';
export {
  PREFERENCES_URL_PLACEHOLDER,
  type RenderedEmail,
  type Templates,
  UNSUBSCRIBE_URL_PLACEHOLDER,
} from './types.ts';
