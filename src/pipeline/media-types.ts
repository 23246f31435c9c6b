/**
 * Files an article may name beside it, by extension, with the MIME type feeds announce them as.
 * Found in the articles folder, they are assets: neither read as articles nor reported as strays.
 */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
};

/** The MIME type of a media file by its name, or null when it is not one we publish. */
export function mediaTypeOf(path: string): string | null {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? null : (MEDIA_TYPES[path.slice(dot).toLowerCase()] ?? null);
}
