// The pipeline between the CLI and the stages: one entry (`runPipeline`) that `build`,
// `build --watch`, `serve`, the tests and the bench call, given a host (the impure edge).

export { type EditionComposerInput, editionComposer } from './compose.ts';
export type { PipelineHost, Progress } from './host.ts';
export { type BuildMemo, createBuildMemo } from './memo.ts';
export { BUNDLED_EMAIL_TEMPLATES, readEmailTemplates } from './newsletter.ts';
export { writeFileAtomic } from './output.ts';
export { readArticles } from './read.ts';
export { type BuildReport, NoInputError, type PipelineOptions, runPipeline } from './run.ts';
export { loadSiteTheme, SiteTemplateFailure } from './theme.ts';
