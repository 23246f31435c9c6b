export const SEND_YOUNG_GENERATION_MB: number;
export function isSendCommand(args: string[]): boolean;
export function runInSendThread(entry: URL, args: string[]): Promise<number>;
export function adoptParentTerminal(): void;
