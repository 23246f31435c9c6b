/** True when dist/ was built from src/ as it is now (see dist-current.js). */
export function distIsCurrent(): boolean;
