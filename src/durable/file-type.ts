import type { Stats } from 'node:fs';

/** What a path holds when it is not a regular file; the loaders refuse these, and so does the writer. */
export type SpecialFileType =
  'directory' | 'fifo' | 'character-device' | 'block-device' | 'socket' | 'symbolic-link' | 'unknown';

const DESCRIPTIONS: Record<SpecialFileType, string> = {
  directory: 'a directory',
  fifo: 'a FIFO (named pipe)',
  'character-device': 'a character device',
  'block-device': 'a block device',
  socket: 'a socket',
  'symbolic-link': 'a symbolic link',
  unknown: 'not a regular file',
};

/** `undefined` for a regular file, else what the path holds. */
export function specialFileType(stats: Stats): SpecialFileType | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isCharacterDevice()) return 'character-device';
  if (stats.isBlockDevice()) return 'block-device';
  if (stats.isSocket()) return 'socket';
  if (stats.isSymbolicLink()) return 'symbolic-link';
  return 'unknown';
}

/** "a FIFO (named pipe)", for messages. */
export function describeFileType(type: SpecialFileType): string {
  return DESCRIPTIONS[type];
}
