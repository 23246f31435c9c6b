import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * nodemailer, loaded on first use: only `send` needs it, and loading it at start-up cost
 * every `build` about 0.1 s of CPU (it is CommonJS, so a synchronous require works here).
 */
export function loadNodemailer(): typeof import('nodemailer') {
  return require('nodemailer') as typeof import('nodemailer');
}
