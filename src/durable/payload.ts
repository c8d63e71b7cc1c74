import type { Stream } from 'node:stream';
import { invalidArgument, kindOf } from './errors.js';

/** Data {@link writeFileDurableSync} accepts: the same as `fs.writeFileSync`. */
export type DurableSyncData = string | NodeJS.ArrayBufferView;

/**
 * Data {@link writeFileDurable} accepts: the same as `fs.promises.writeFile`, i.e. a string, any
 * `ArrayBufferView`, a sync or async iterable of strings and views, or a `Readable` stream.
 */
export type DurableData =
  DurableSyncData | Iterable<string | NodeJS.ArrayBufferView> | AsyncIterable<string | NodeJS.ArrayBufferView> | Stream;

/** Data ready to be written: bytes now, or chunks to pull while writing. */
export type Payload =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | {
      readonly kind: 'chunks';
      readonly chunks: Iterable<unknown> | AsyncIterable<unknown>;
      readonly encoding: BufferEncoding;
    };

/** The bytes of a string or view; a view is used in place, never copied. */
export function toBytes(value: unknown, encoding: BufferEncoding): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, encoding);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw invalidArgument(
    'ERR_INVALID_ARG_TYPE',
    `data must be a string, an ArrayBufferView or an iterable of them, got ${kindOf(value)}`,
  );
}

export function toPayload(data: unknown, encoding: BufferEncoding, allowChunks: boolean): Payload {
  if (typeof data === 'string' || ArrayBuffer.isView(data)) return { kind: 'bytes', bytes: toBytes(data, encoding) };
  if (allowChunks && typeof data === 'object' && data !== null) {
    if (Symbol.asyncIterator in data || Symbol.iterator in data) {
      return { kind: 'chunks', chunks: data as Iterable<unknown> | AsyncIterable<unknown>, encoding };
    }
  }
  throw invalidArgument(
    'ERR_INVALID_ARG_TYPE',
    allowChunks
      ? `data must be a string, an ArrayBufferView, an (async) iterable of them or a Readable, got ${kindOf(data)}`
      : `data must be a string or an ArrayBufferView, got ${kindOf(data)}`,
  );
}
