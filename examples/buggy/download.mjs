// A download saved through a stream and published on 'finish'.
import { createWriteStream, rename } from 'node:fs';

export function saveDownload(response, dest, done) {
  const tmp = dest + '.partial';
  const out = createWriteStream(tmp);
  response.pipe(out);
  out.on('finish', () => rename(tmp, dest, done));
}
