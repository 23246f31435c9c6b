// `npm run docs`: regenerates the parts of docs/ that are made from the code (the CLI page's
// `--help` texts). The configuration reference has its own script, `npm run schema`.
import { readFileSync, writeFileSync } from 'node:fs';
import { CLI_PAGE, cliHelpMarkdown, commandPaths, withGeneratedBlock } from './cli-help.ts';

const page = withGeneratedBlock(readFileSync(CLI_PAGE, 'utf8'), cliHelpMarkdown(await commandPaths()));
if (page === null) {
  process.stderr.write('docs/cli.md has no cli-help markers; nothing written\n');
  process.exitCode = 1;
} else {
  writeFileSync(CLI_PAGE, page);
  process.stderr.write('updated the --help texts in docs/cli.md\n');
}
